#include "source/staged_index.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace sentryscan::git {

Index open_staged_index(git_repository* repo, const std::string& index_file) {
  const std::string path = index_file.empty() ? std::string(git_repository_path(repo)) + "index" : index_file;
  struct stat st {};
  if (!index_file.empty() && stat(path.c_str(), &st) != 0)
    throw GitError(fmt::format("GIT_INDEX_FILE names an index that cannot be read ({}): {}", path,
                               std::strerror(errno)),
                   -1);
  git_index* raw = nullptr;
  const int rc = index_file.empty() ? git_repository_index(&raw, repo) : git_index_open(&raw, path.c_str());
  if (rc == 0) return Index(raw);
  throw GitError("reading the index: " + last_error_text(rc), rc);
}

}  // namespace sentryscan::git
