#include "source/git/staged/staged_index.h"

#include <sys/stat.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "source/git/staged/index_format.h"
#include "source/git/staged/sparse_index.h"

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
  const std::string error = last_error_text(rc);
  // The normal case costs nothing extra: the file is read again only when
  // libgit2 could not load it.
  if (const auto bytes = index_format::read_index_bytes(path); bytes && is_sparse_index(*bytes))
    return expand_sparse_index(repo, *bytes);
  throw GitError("reading the index: " + error, rc);
}

}  // namespace sentryscan::git
