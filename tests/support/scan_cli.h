// Helpers for tests that run `sentryscan scan` as a process and read its json report.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "support/run_cli.h"

namespace sentryscan::testing {

struct JsonScan {
  CliResult process;
  nlohmann::json findings;  // the parsed array (empty array when the output did not parse)
};

// `sentryscan scan --format json ARGS...` with the given options.
JsonScan scan_json(const std::vector<std::string>& args, const CliOptions& options = {});

// Findings of one rule.
std::vector<nlohmann::json> of_rule(const nlohmann::json& findings, const std::string& rule_id);

}  // namespace sentryscan::testing
