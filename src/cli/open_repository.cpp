#include "cli/open_repository.h"

#include "core/diagnostics.h"

namespace sentryscan::cli {

std::optional<git::Repository> open_repository_or_report(const std::string& path, int& exit_code) {
  try {
    return git::open_repository(path);
  } catch (const git::GitError& e) {
    print_error("{}", e.what());
    exit_code = 2;
    return std::nullopt;
  }
}

}  // namespace sentryscan::cli
