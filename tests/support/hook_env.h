// For tests that run the pre-commit hook through a real `git commit`:
//
//   repo.git({"commit", "-m", "x"}, hook_env());     // sentryscan first on PATH
//   const std::string hook = source_file("hooks/pre-commit");
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "support/git_repo.h"
#include "support/run_cli.h"

namespace sentryscan::testing {

// A file of this source tree, as it is checked out.
inline std::string source_file(const std::string& relative) {
  std::ifstream in(std::filesystem::path(SENTRYSCAN_SOURCE_DIR) / relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// PATH with the built sentryscan first, as after installing it.
inline std::map<std::string, std::string> hook_env(std::map<std::string, std::string> extra = {}) {
  const char* path = std::getenv("PATH");
  extra["PATH"] = std::filesystem::path(SENTRYSCAN_BINARY).parent_path().string() + ":" + (path ? path : "/usr/bin:/bin");
  return extra;
}

inline int commit_count(GitRepo& repo) {
  const CliResult result = repo.try_git({"rev-list", "--count", "HEAD"});
  return result.exit_code == 0 ? std::stoi(result.out) : 0;
}

}  // namespace sentryscan::testing
