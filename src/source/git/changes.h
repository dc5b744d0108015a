// What a commit or the index adds: for each new or modified blob, the line
// numbers (in the new blob) that did not exist on the old side. Used by the
// range gate and the staged scan to report only what a change introduces.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/default_limits.h"
#include "source/git/handle.h"

namespace sentryscan::git {

// A set of 1-based line numbers, stored as sorted disjoint inclusive ranges so
// that a 100k-line new file costs one entry.
class LineSet {
 public:
  static LineSet everything();
  bool all() const { return all_; }
  bool empty() const { return !all_ && ranges_.empty(); }
  bool contains(std::uint64_t line) const;
  // Lines must be added in increasing order.
  void add(std::uint64_t line);
  static LineSet intersect(const LineSet& a, const LineSet& b);
  const std::vector<std::pair<std::uint64_t, std::uint64_t>>& ranges() const { return ranges_; }

 private:
  bool all_ = false;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges_;
};

struct ChangedBlob {
  std::string path;  // path of the new side
  git_oid blob{};    // the new content
  LineSet lines;     // its lines that the change adds
  // Binary content has no lines: everything counts as added, except secrets
  // already present in these old versions.
  bool binary = false;
  std::vector<git_oid> old_blobs;
};

struct ChangeOptions {
  std::uint64_t max_file_size = kDefaultMaxFileSize;  // bigger blobs are not diffed (treated as binary)
  std::function<bool(std::string_view path)> excluded;
  std::function<void(const std::string& object, const std::string& message)> problem;
};

// What `new_tree` adds relative to every tree in `parents` (none: everything;
// several, for a merge: only lines new relative to all parents, so merging
// already-scanned work reports nothing while an evil merge is still caught).
// Renames are detected, so moving a file adds nothing.
// Throws TreeTooDeep, before any diff, when a tree the diff would expand
// nests past git's core.maxTreeDepth or holds itself (diff_depth.h).
struct TreeTooDeep : std::runtime_error {
  using std::runtime_error::runtime_error;
};
std::vector<ChangedBlob> tree_changes(git_repository* repo, const std::vector<git_tree*>& parents, git_tree* new_tree,
                                      const ChangeOptions& options);

// What the index adds relative to `head` (nullptr: unborn branch, everything
// is new). `only_paths` (files, or directories for everything under them)
// restricts the comparison to where the caller knows changes can be; the
// other trees of `head` are then never read.
// Throws TreeTooDeep as tree_changes does.
std::vector<ChangedBlob> index_changes(git_repository* repo, git_tree* head, git_index* index,
                                       const ChangeOptions& options,
                                       const std::vector<std::string>* only_paths = nullptr);

}  // namespace sentryscan::git
