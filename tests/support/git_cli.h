// Helpers for tests that run the git subcommands of the real binary against
// real repositories and read their json reports.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "support/git_repo.h"
#include "support/run_cli.h"

namespace sentryscan::testing {

struct GitScan {
  CliResult process;
  nlohmann::json findings;  // parsed json array; empty when the output did not parse
};

// `sentryscan ARGS... --format json --no-color`, in `cwd` (may be empty), with the git test environment.
GitScan git_scan(const std::vector<std::string>& args, const std::filesystem::path& cwd = {},
                 const std::map<std::string, std::string>& env = {});

// Findings whose secret hash matches `secret` (the report redacts the secret itself).
std::vector<nlohmann::json> findings_of(const nlohmann::json& findings, const std::string& secret);

// "KEY=<secret>\n" lines that the default rules report at high severity or above.
std::string user_token_line(const std::string& seed);
std::string user_token(const std::string& seed);

}  // namespace sentryscan::testing
