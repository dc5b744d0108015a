// Validation settings: what the command line asked for, merged with the
// config file's [validate] table and the defaults (flags win over config).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "settings/config_file.h"
#include "settings/base_url.h"

namespace sentryscan::validate {

// As given on the command line; unset fields fall back to the config, then defaults.
struct ValidationOptions {
  bool enabled = false;    // --validate; without it nothing touches the network
  bool only_live = false;  // --only-live
  std::vector<std::string> sentry_urls;  // --sentry-url, added to the config's list
  bool allow_insecure_http = false;
  std::optional<double> timeout_seconds;
  std::optional<unsigned> concurrency;
  std::optional<unsigned> max_requests;
  std::optional<std::string> ca_cert;
  std::optional<std::string> cache_file;
  std::optional<double> cache_ttl_hours;
  std::optional<std::string> saas_url;  // SENTRYSCAN_SAAS_URL (a testing aid)
};

// The real SaaS origin that payloads are compared with. SENTRYSCAN_SAAS_URL
// only changes where SaaS tokens are *sent*, not which payloads count as SaaS.
inline constexpr std::string_view kSentrySaasUrl = "https://sentry.io";

struct RoutingPolicy {
  BaseUrl saas;                  // https://sentry.io, or SENTRYSCAN_SAAS_URL in tests
  std::vector<BaseUrl> allowed;  // --sentry-url and [validate] sentry_urls
  bool allow_insecure_http = false;
};

struct ValidationSettings {
  RoutingPolicy routing;
  double timeout_seconds = 10;
  unsigned concurrency = 4;
  unsigned max_requests = 1000;  // HTTP requests per run, retries included
  std::string ca_cert;           // empty: the system trust store
  std::string cache_file;        // empty: no cache
  double cache_ttl_hours = 24;
  unsigned max_retries = 2;              // after a 429
  double max_retry_wait_seconds = 30;    // a 429 asking for longer is given up at once
  double default_retry_wait_seconds = 1; // a 429 without a usable header; doubles per retry
};

// Throws InputError naming the flag or config key for a malformed base URL,
// plain http without allow_insecure_http, an unreadable CA file or an
// out-of-range number. Messages never contain secrets (none are involved).
ValidationSettings resolve_settings(const ValidationOptions& options, const ValidateConfig& config);

}  // namespace sentryscan::validate
