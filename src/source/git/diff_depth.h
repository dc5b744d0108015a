// Whether libgit2's diff of two trees stays within git's tree depth limit.
//
//   DiffDepth depth(repo);
//   if (!depth.ok(old_tree, new_tree)) ... report, do not diff
//
// libgit2's diff expands every directory that differs between the two sides
// and every directory only one side has. With hash checks off, an object
// database can store a tree under an id that is not its hash, and that tree
// can hold itself: the expansion then never ends (a range scan over such a
// commit grew to 24 GB before the kernel's OOM killer stopped it). This
// walks what the diff would walk, no deeper than kMaxTreeDepth (git's own
// core.maxTreeDepth), reading each tree that only one side has once.
#pragma once

#include <map>
#include <string>

#include "source/git/handle.h"

namespace sentryscan::git {

class DiffDepth {
 public:
  explicit DiffDepth(git_repository* repo) : repo_(repo) {}
  // Either tree may be null (a root commit, an unborn branch). A tree that
  // cannot be read counts as within the limit: the diff reports it.
  bool ok(const git_tree* old_tree, const git_tree* new_tree);
  // For a diff restricted to `path` (a pathspec entry): the tree at `path`
  // under `root`, which such a diff expands whole, if there is one.
  bool ok_at(const git_tree* root, const std::string& path);

 private:
  bool pair(const git_oid* old_id, const git_oid* new_id, unsigned depth);
  // Levels from `tree` down to its deepest tree (1: no subtree), or more than
  // kMaxTreeDepth - depth when it is deeper or holds itself.
  unsigned height(const git_oid& tree, unsigned depth);

  git_repository* repo_;
  std::map<git_oid, unsigned, OidLess> heights_;  // 0 while being worked out
};

}  // namespace sentryscan::git
