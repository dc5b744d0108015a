#include "cli/open_repository.h"

#include "core/diagnostics.h"

#include <cstdlib>
#include <filesystem>

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

bool is_environment_repository(git_repository* repo) {
  std::string environment_dir;
  if (const char* git_dir = std::getenv("GIT_DIR"); git_dir && *git_dir) {
    environment_dir = git_dir;
  } else {
    git_buf found = GIT_BUF_INIT;
    const int rc = git_repository_discover(&found, ".", 0, std::getenv("GIT_CEILING_DIRECTORIES"));
    if (rc == 0) environment_dir = found.ptr;
    git_buf_dispose(&found);
    if (rc < 0) return false;
  }
  std::error_code ec;
  return std::filesystem::equivalent(environment_dir, git_repository_path(repo), ec) && !ec;
}

}  // namespace sentryscan::cli
