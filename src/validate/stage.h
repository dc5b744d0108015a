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

// The whole stage, with settings resolved once (settings/settings.h).
// Findings that could not be checked (`unknown`) add one `incomplete` issue
// saying how many. With only_live the revoked and skipped findings are
// removed; unknown ones are kept, since they may be live. Returns the counts
// by status taken before removal.
ValidationCounts run_validation_stage(std::vector<Finding>& findings, const ValidationSettings& settings,
                                      bool only_live, std::vector<ScanIssue>& issues, CheckStats* stats = nullptr);

}  // namespace sentryscan::validate
