// Opening the repository a git subcommand names, with the CLI's error report.
#pragma once

#include <optional>
#include <string>

#include "source/git/handle.h"

namespace sentryscan::cli {

// The repository at `path` ("" : the one around the current directory, or
// GIT_DIR). When it cannot be opened, prints why and sets `exit_code` to 2.
std::optional<git::Repository> open_repository_or_report(const std::string& path, int& exit_code);

}  // namespace sentryscan::cli
