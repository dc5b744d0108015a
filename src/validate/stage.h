// The validation stage of the scan pipeline (SPEC 3): annotates findings
// after suppression. Without --validate it returns before touching anything,
// so a scan without the flag never opens a socket.
#pragma once

#include <vector>

#include "settings/config_file.h"
#include "core/finding.h"
#include "scan/scan_result.h"
#include "validate/checker.h"
#include "settings/validation.h"

namespace sentryscan::validate {

// Sets `validation` on every finding; findings sharing a secret share one check.
void validate_findings(std::vector<Finding>& findings, const ValidationSettings& settings,
                       std::vector<ScanIssue>& issues, CheckStats* stats = nullptr);

// The whole stage: nothing unless options.enabled; settings resolved from
// options and config (InputError on bad values, before any request);
// with only_live the findings that are not live are removed.
void run_validation_stage(std::vector<Finding>& findings, const ValidationOptions& options,
                          const ValidateConfig& config, std::vector<ScanIssue>& issues, CheckStats* stats = nullptr);

}  // namespace sentryscan::validate
