#include "validate/stage.h"

#include <fmt/format.h>

#include <algorithm>

namespace sentryscan::validate {
namespace {

ValidationCounts count_statuses(const std::vector<Finding>& findings, bool only_live) {
  ValidationCounts counts;
  counts.enabled = true;
  counts.only_live = only_live;
  for (const auto& finding : findings) {
    switch (finding.validation.status) {
      case ValidationStatus::live: ++counts.live; break;
      case ValidationStatus::revoked: ++counts.revoked; break;
      case ValidationStatus::unknown: ++counts.unknown; break;
      case ValidationStatus::skipped: ++counts.skipped; break;
      case ValidationStatus::not_checked: break;
    }
  }
  return counts;
}

// An unanswered check is not a clean result: say so, as an `incomplete`
// issue (exit 3 unless findings already fail the run), whatever the flags.
void report_unknown(const std::vector<Finding>& findings, std::uint64_t unknown, std::vector<ScanIssue>& issues) {
  if (unknown == 0) return;
  std::string example;
  for (const auto& finding : findings)
    if (finding.validation.status == ValidationStatus::unknown && !finding.validation.detail.empty()) {
      example = fmt::format(", e.g. {}", finding.validation.detail);  // details never hold the secret (scrubbed)
      break;
    }
  issues.push_back({ScanIssue::Kind::incomplete, "",
                    fmt::format("{} {} could not be checked (validation status 'unknown'{}); {} may be live", unknown,
                                unknown == 1 ? "finding" : "findings", example, unknown == 1 ? "it" : "they")});
}

}  // namespace

void validate_findings(std::vector<Finding>& findings, const ValidationSettings& settings,
                       std::vector<ScanIssue>& issues, CheckStats* stats) {
  std::vector<Credential> credentials;
  credentials.reserve(findings.size());
  for (const auto& finding : findings) credentials.push_back(Credential{finding.rule_id, finding.secret, finding.token});
  auto results = check_credentials(credentials, settings, issues, stats);
  for (std::size_t i = 0; i < findings.size(); ++i) findings[i].validation = std::move(results[i]);
}

ValidationCounts run_validation_stage(std::vector<Finding>& findings, const ValidationSettings& settings,
                                      bool only_live, std::vector<ScanIssue>& issues, CheckStats* stats) {
  validate_findings(findings, settings, issues, stats);
  const ValidationCounts counts = count_statuses(findings, only_live);
  report_unknown(findings, counts.unknown, issues);
  // Revoked and skipped findings are decisions the user asked to hide;
  // unknown ones are not: they stay listed.
  if (only_live)
    std::erase_if(findings, [](const Finding& f) {
      return f.validation.status != ValidationStatus::live && f.validation.status != ValidationStatus::unknown;
    });
  return counts;
}

}  // namespace sentryscan::validate
