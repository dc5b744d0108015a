#include "settings/validation.h"

#include <fmt/format.h>

#include <fstream>

#include "core/input_error.h"

namespace sentryscan::validate {
namespace {

BaseUrl checked_url(const std::string& text, const std::string& origin, bool allow_insecure_http) {
  const auto url = parse_base_url(text);
  if (!url)
    throw InputError(origin, 0,
                     fmt::format("'{}' is not a base URL of the form https://host[:port][/path]", text));
  if (url->scheme == "http" && !allow_insecure_http)
    throw InputError(origin, 0, fmt::format("'{}' is plain http; tokens would travel unencrypted (add --allow-insecure-http only for a local test server)", text));
  return *url;
}

template <typename T>
T pick(const std::optional<T>& flag, const std::optional<T>& config, T fallback) {
  if (flag) return *flag;
  if (config) return *config;
  return fallback;
}

}  // namespace

ValidationSettings resolve_settings(const ValidationOptions& options, const ValidateConfig& config) {
  ValidationSettings settings;
  settings.routing.allow_insecure_http = options.allow_insecure_http;
  const std::string saas = options.saas_url.value_or(std::string(kSentrySaasUrl));
  settings.routing.saas = checked_url(saas, "SENTRYSCAN_SAAS_URL", options.allow_insecure_http);
  for (const auto& url : config.sentry_urls)
    settings.routing.allowed.push_back(checked_url(url, "[validate] sentry_urls", options.allow_insecure_http));
  for (const auto& url : options.sentry_urls)
    settings.routing.allowed.push_back(checked_url(url, "--sentry-url", options.allow_insecure_http));

  settings.timeout_seconds = pick(options.timeout_seconds, config.timeout_seconds, settings.timeout_seconds);
  if (!(settings.timeout_seconds > 0 && settings.timeout_seconds <= 600))
    throw InputError("--validate-timeout", 0, "must be between 0 and 600 seconds");
  settings.concurrency = pick(options.concurrency, config.concurrency, settings.concurrency);
  if (settings.concurrency < 1 || settings.concurrency > 64)
    throw InputError("--validate-concurrency", 0, "must be between 1 and 64");
  settings.max_requests = pick(options.max_requests, config.max_requests, settings.max_requests);
  if (settings.max_requests < 1) throw InputError("--validate-max-requests", 0, "must be at least 1");
  settings.cache_ttl_hours = pick(options.cache_ttl_hours, config.cache_ttl_hours, settings.cache_ttl_hours);
  if (!(settings.cache_ttl_hours >= 0)) throw InputError("--validation-cache-ttl", 0, "must not be negative");
  settings.cache_file = pick(options.cache_file, config.cache_file, std::string());
  settings.ca_cert = pick(options.ca_cert, config.ca_cert, std::string());
  if (!settings.ca_cert.empty() && !std::ifstream(settings.ca_cert))
    throw InputError(settings.ca_cert, 0, "cannot read the CA certificate file (--ca-cert)");
  return settings;
}

}  // namespace sentryscan::validate
