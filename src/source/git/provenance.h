// Where a blob entered history. Only run for blobs with findings, after the
// parallel scan, so the common case (no findings) pays nothing for it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "source/git/handle.h"
#include "source/git/tree_store.h"

namespace sentryscan::git {

struct CommitMeta {
  std::string id;
  std::string author;
  std::string email;
  std::string date;  // author date, ISO-8601 UTC
  std::string summary;
};

CommitMeta commit_meta(git_commit* commit);
// "2024-05-01T10:00:00Z"
std::string iso_utc(std::int64_t seconds);

struct BlobOrigin {
  bool found = false;
  git_oid commit{};
  std::string path;
  // Every (commit, path) at which the blob appears where no parent of that
  // commit had it at that path: the blob "entering" history. A secret added
  // once and later renamed counts twice; one that only rides along unchanged
  // in later commits counts once.
  std::uint64_t introductions = 0;
  // Position of `commit` in the walk (parents before children): ranks the
  // first introductions of different blobs of one repository.
  std::uint64_t rank = 0;
  // Every introduction, in walk order (for grouping findings by secret).
  std::vector<std::pair<git_oid, std::string>> all;
};

// For each target blob, its earliest introduction among `commits` (parents
// before children, older commit time first among unrelated commits) and the
// number of introductions. Commits whose parents are absent (shallow
// boundary) count as roots. Paths for which `excluded` is true are ignored.
// Trees are read from `trees` first when it is not null. Commits are
// compared with their parents on `threads` threads; the result is the same
// for any number.
std::map<git_oid, BlobOrigin, OidLess> find_origins(git_repository* repo, const std::vector<git_oid>& commits,
                                                     const std::vector<git_oid>& targets,
                                                     const std::function<bool(std::string_view)>& excluded,
                                                     const TreeStore* trees = nullptr, unsigned threads = 1);

}  // namespace sentryscan::git
