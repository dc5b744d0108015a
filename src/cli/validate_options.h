// ValidateFlags (CLI11's plain fields) -> the library's ValidationOptions.
#pragma once

#include <cstdlib>

#include "cli/validate_flags.h"
#include "validate/settings.h"

namespace sentryscan::cli {

inline validate::ValidationOptions to_validation_options(const ValidateFlags& flags) {
  validate::ValidationOptions options;
  options.enabled = flags.enabled;
  options.only_live = flags.only_live;
  options.sentry_urls = flags.sentry_urls;
  options.allow_insecure_http = flags.allow_insecure_http;
  if (flags.timeout_seconds > 0) options.timeout_seconds = flags.timeout_seconds;
  if (flags.concurrency > 0) options.concurrency = flags.concurrency;
  if (flags.max_requests > 0) options.max_requests = flags.max_requests;
  if (!flags.ca_cert.empty()) options.ca_cert = flags.ca_cert;
  if (!flags.cache_file.empty()) options.cache_file = flags.cache_file;
  if (flags.cache_ttl_hours >= 0) options.cache_ttl_hours = flags.cache_ttl_hours;
  // A documented testing aid: tests point the SaaS base at a local server.
  if (const char* saas = std::getenv("SENTRYSCAN_SAAS_URL"); saas && *saas) options.saas_url = saas;
  return options;
}

}  // namespace sentryscan::cli
