#include "cli/validate_flags.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/validate_options.h"
#include "core/input_error.h"
#include "validate/stage.h"

namespace sentryscan::cli {

void add_validate_tuning_flags(CLI::App& command, ValidateFlags& flags) {
  command.add_option("--sentry-url", flags.sentry_urls,
                     "Allow sending tokens to this self-hosted Sentry base URL (repeatable)")
      ->allow_extra_args(false);  // `--sentry-url URL PATH` must not take PATH as a second URL
  command.add_flag("--allow-insecure-http", flags.allow_insecure_http,
                   "Allow plain http:// base URLs (tokens travel unencrypted; for local test servers)");
  command.add_option("--validate-timeout", flags.timeout_seconds, "Seconds per request (default 10)")
      ->check(CLI::PositiveNumber);
  command.add_option("--validate-concurrency", flags.concurrency, "Requests in flight at once (default 4)")
      ->check(CLI::Range(1u, 64u));
  command.add_option("--validate-max-requests", flags.max_requests,
                     "Most HTTP requests per run, retries included (default 1000)")
      ->check(CLI::PositiveNumber);
  command.add_option("--ca-cert", flags.ca_cert, "PEM file of CA certificates to trust (self-hosted CAs)");
  command.add_option("--validation-cache", flags.cache_file,
                     "Keep live/revoked results in FILE across runs (keyed by sha256, never the secret)");
  command.add_option("--validation-cache-ttl", flags.cache_ttl_hours, "Hours a cached result stays valid (default 24)")
      ->check(CLI::NonNegativeNumber);
}

void add_validate_flags(CLI::App& command, ValidateFlags& flags) {
  auto* validate = command.add_flag("--validate", flags.enabled,
                                    "Ask the Sentry API whether each credential is live (network access)");
  command.add_flag("--only-live", flags.only_live, "Leave revoked and skipped credentials out of the report; ones that could not be checked stay "
                    "(needs --validate)")
      ->needs(validate);
  add_validate_tuning_flags(command, flags);
}

void check_validate_flags(const ValidateFlags& flags, const ValidateConfig& config) {
  if (flags.enabled) validate::resolve_settings(to_validation_options(flags), config);
}

ValidationCounts run_validation(std::vector<Finding>& findings, const ValidateFlags& flags,
                                const ValidateConfig& config, std::vector<ScanIssue>& issues) {
  if (!flags.enabled) return {};  // no network access, not even settings resolution
  try {
    return validate::run_validation_stage(findings, to_validation_options(flags), config, issues);
  } catch (const InputError& e) {
    issues.push_back({ScanIssue::Kind::incomplete, "", fmt::format("validation not run: {}", e.what())});
    return {};
  }
}

}  // namespace sentryscan::cli
