#include "support/scan_cli.h"

namespace sentryscan::testing {

JsonScan scan_json(const std::vector<std::string>& args, const CliOptions& options) {
  std::vector<std::string> full{"scan", "--format", "json", "--no-color"};
  full.insert(full.end(), args.begin(), args.end());
  JsonScan scan{run_sentryscan(full, options), nlohmann::json::array()};
  auto parsed = nlohmann::json::parse(scan.process.out, nullptr, false);
  if (!parsed.is_discarded() && parsed.is_array()) scan.findings = std::move(parsed);
  return scan;
}

std::vector<nlohmann::json> of_rule(const nlohmann::json& findings, const std::string& rule_id) {
  std::vector<nlohmann::json> out;
  for (const auto& f : findings)
    if (f.value("rule_id", "") == rule_id) out.push_back(f);
  return out;
}

}  // namespace sentryscan::testing
