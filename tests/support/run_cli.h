#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sentryscan::testing {

struct CliResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

struct CliOptions {
  std::filesystem::path cwd;  // empty: inherit
  std::string stdin_text;
  std::map<std::string, std::string> env;  // added to the environment
  int timeout_seconds = 60;
  // Drop root privileges (to nobody) in the child, so permission bits matter
  // even when the suite runs as root, as CI does.
  bool as_unprivileged_user = false;
};

// Runs the built `sentryscan` binary as a real process.
CliResult run_sentryscan(const std::vector<std::string>& args, const CliOptions& options = {});

// Runs any program (git, sh...) the same way; args[0] is looked up in PATH.
CliResult run_program(const std::vector<std::string>& args, const CliOptions& options = {});

}  // namespace sentryscan::testing
