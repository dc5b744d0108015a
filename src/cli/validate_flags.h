// --validate and its companions (SPEC 3), shared by every scanning subcommand.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/finding.h"
#include "engine/scan_result.h"

namespace CLI {
class App;
}

namespace sentryscan::cli {

struct ValidateFlags {
  bool enabled = false;
  bool only_live = false;
  std::vector<std::string> sentry_urls;
  double timeout_seconds = 0;  // 0: config or default
  unsigned concurrency = 0;    // 0: config or default
  unsigned max_requests = 0;   // 0: config or default (--validate-max-requests)
  std::string ca_cert;
  std::string cache_file;
  double cache_ttl_hours = -1;  // <0: config or default (--validation-cache-ttl)
  bool allow_insecure_http = false;
};

void add_validate_flags(CLI::App& command, ValidateFlags& flags);

// Everything but --validate and --only-live: for `sentryscan validate`,
// which always validates.
void add_validate_tuning_flags(CLI::App& command, ValidateFlags& flags);

// With --validate: throws InputError (exit 2) for a malformed --sentry-url or
// config sentry_urls entry, plain http without --allow-insecure-http, an
// unreadable --ca-cert or out-of-range numbers. Call it with the rest of the
// configuration, before scanning, so a typo fails fast. No-op without --validate.
void check_validate_flags(const ValidateFlags& flags, const ValidateConfig& config);

// Fills `validation` on every finding (one request per distinct secret) when
// flags.enabled; findings that could not be checked become an `incomplete`
// issue; with --only-live drops revoked and skipped findings (unknown ones
// stay). Returns the counts by status for the summary. Without --validate it
// does nothing at all: no network access. Never throws for bad settings: if
// check_validate_flags was skipped, the error becomes an `incomplete` issue
// (so the run cannot pass by accident) and findings stay not_checked.
ValidationCounts run_validation(std::vector<Finding>& findings, const ValidateFlags& flags,
                                const ValidateConfig& config, std::vector<ScanIssue>& issues);

}  // namespace sentryscan::cli
