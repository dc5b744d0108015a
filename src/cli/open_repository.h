// Opening the repository a git subcommand names, with the CLI's error report.
#pragma once

#include <optional>
#include <string>

#include "source/git/handle.h"

namespace sentryscan::cli {

// The repository at `path` ("" : the one around the current directory, or
// GIT_DIR). When it cannot be opened, prints why and sets `exit_code` to 2.
std::optional<git::Repository> open_repository_or_report(const std::string& path, int& exit_code);

// True when `repo` is the repository the environment is about, as git sees it
// for a hook: the one GIT_DIR names, or else the one around the current
// directory. Compared by resolved git directory, so `.`, an absolute path, a
// subdirectory or a symlink to the same repository all match, and a linked
// worktree matches only itself.
bool is_environment_repository(git_repository* repo);

}  // namespace sentryscan::cli
