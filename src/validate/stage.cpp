#include "validate/stage.h"

#include <algorithm>

namespace sentryscan::validate {

void validate_findings(std::vector<Finding>& findings, const ValidationSettings& settings,
                       std::vector<ScanIssue>& issues, CheckStats* stats) {
  std::vector<Credential> credentials;
  credentials.reserve(findings.size());
  for (const auto& finding : findings) credentials.push_back(Credential{finding.rule_id, finding.secret, finding.token});
  auto results = check_credentials(credentials, settings, issues, stats);
  for (std::size_t i = 0; i < findings.size(); ++i) findings[i].validation = std::move(results[i]);
}

void run_validation_stage(std::vector<Finding>& findings, const ValidationOptions& options,
                          const ValidateConfig& config, std::vector<ScanIssue>& issues, CheckStats* stats) {
  if (!options.enabled) return;
  const ValidationSettings settings = resolve_settings(options, config);
  validate_findings(findings, settings, issues, stats);
  if (options.only_live)
    std::erase_if(findings, [](const Finding& f) { return f.validation.status != ValidationStatus::live; });
}

}  // namespace sentryscan::validate
