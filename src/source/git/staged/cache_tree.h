// The index's cache-tree (its TREE extension) and what it saves a staged scan.
//
// Diffing the index against HEAD the plain way reads every tree of HEAD:
// 130 ms for the ~850 trees of a 25k-commit repository whose trees sit at
// the end of 50-deep delta chains. `git commit` leaves the cache-tree in the
// index, and `git add` invalidates only the directories it touches, so the
// directories still valid there and equal to HEAD's subtree hold no staged
// change; git's own `diff --cached` skips them the same way. libgit2 reads
// the extension but does not expose it, so it is parsed here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "source/git/handle.h"

namespace sentryscan::git {

struct CacheTreeNode {
  std::string name;    // one path component; "" for the root
  bool valid = false;  // false: git invalidated it (something under it was staged)
  git_oid id{};        // the tree the index would write here, when valid
  std::vector<CacheTreeNode> children;

  const CacheTreeNode* child(std::string_view child_name) const;
};

// The root of the cache-tree in the bytes of an index file; nullopt when there
// is none or the file is something this reader does not follow (split or
// sparse index, an unknown version, a truncated or inconsistent extension).
std::optional<CacheTreeNode> parse_cache_tree(std::string_view index_file);

// The paths (files, and directories standing for everything under them)
// where `index` can differ from `head`, for a diff restricted to them;
// nullopt when the cache-tree cannot be used and everything must be compared.
// The index file is read again from disk and used only when its checksum is
// the one libgit2 loaded.
std::optional<std::vector<std::string>> paths_that_may_differ(git_repository* repo, git_tree* head,
                                                              git_index* index);

}  // namespace sentryscan::git
