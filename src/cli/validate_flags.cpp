// STUB: replaced by the validation work (issue 4).
#include "cli/validate_flags.h"

#include <CLI/CLI.hpp>

namespace sentryscan::cli {

void add_validate_flags(CLI::App& command, ValidateFlags& flags) {
  command.add_flag("--validate", flags.enabled, "Ask the Sentry API whether each credential is live");
}

void run_validation(std::vector<Finding>&, const ValidateFlags&, const ValidateConfig&, std::vector<ScanIssue>&) {}

}  // namespace sentryscan::cli
