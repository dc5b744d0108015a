// Enumerates the distinct blobs of a repository's history without reading
// them: every commit reachable from every ref (branches, remotes, tags, notes,
// stash and its reflog, HEADs of all worktrees), every tree read once, every
// blob reported once with the first path it was seen at.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "source/git/handle.h"
#include "source/git/tree_store.h"

namespace sentryscan::git {

struct WalkCallbacks {
  // A blob not seen before, with the first path it was found at ("" when it
  // is only reachable from a tag or from nothing at all).
  std::function<void(const git_oid& blob, const std::string& path)> blob;
  // An object that could not be read (missing, corrupt); the walk goes on.
  std::function<void(const std::string& object, const std::string& message)> problem;
  // Paths (files and directories) the user excluded; may be empty.
  std::function<bool(std::string_view path)> excluded;
};

// The commits listed in <gitdir>/shallow: their parents are absent on purpose.
OidSet read_shallow_boundary(git_repository* repo);

// The refs under refs/ with the object each resolves to, in libgit2's
// order; symbolic refs to nothing are left out. `error` is set when the
// listing stopped early. Throws GitError when refs cannot be listed at all.
struct RefListing {
  std::vector<std::pair<std::string, git_oid>> refs;
  std::optional<std::string> error;
};
RefListing list_refs(git_repository* repo);

// Every object id of a repository's object database, in libgit2's listing
// order (packs, then loose objects; an id in two packs twice): the order of
// an `--all-objects` walk follows it. `error` is set when the listing
// stopped early. Given a handle of its own, it can run on another thread
// while the caller parses the packs, as the audit does: libgit2 sorts each
// pack's ids by offset first, 0.09 s of the 0.14 s the listing took on
// sentry-javascript's 513,036 objects, on one core while the other waited.
struct ObjectListing {
  std::vector<git_oid> ids;
  std::optional<std::string> error;
};
// Throws GitError when the repository has no object database.
ObjectListing list_all_objects(git_repository* repo);

class HistoryWalker {
 public:
  // `trees`: where trees are read from first (may be null: libgit2 only).
  HistoryWalker(git_repository* repo, WalkCallbacks callbacks, const TreeStore* trees = nullptr);

  // Every ref under refs/ (peeling annotated tags), HEAD and the HEADs of
  // linked worktrees, and every entry of the stash reflog.
  void add_ref_tips();
  // The same with the refs listed beforehand (list_refs).
  void add_ref_tips(const RefListing& refs);
  // Every object in the object database, reachable or not: commits become
  // tips (so dangling commits get paths and provenance); blobs that no commit
  // reaches are reported with an empty path by finish_unreachable_blobs().
  void add_all_objects();
  // The same from a listing made beforehand (list_all_objects).
  void add_all_objects(const ObjectListing& listing);
  // A tip given by oid; tags are peeled, trees and blobs are accepted.
  void add_tip(const git_oid& oid, const std::string& origin);

  // Resuming an earlier audit: after the tips are added, drops the commits
  // that `known` (the tips that audit walked) reach, and marks as seen,
  // without reporting them, the blobs of the known tips' trees and of the
  // trees of every known commit a new commit has as parent (the edge, as
  // `git rev-list --objects` marks it). A blob only new commits hold is still
  // reported; one that a known tip or an edge commit already held is not.
  // Known oids that are not in the repository are skipped. Throws GitError.
  void hide_known(const std::vector<git_oid>& known);
  // Walks every commit from the tips, reporting new blobs as it goes.
  void run();
  // After run(): reports blobs found by add_all_objects() that no walked tree contains.
  void finish_unreachable_blobs();

  const std::vector<git_oid>& commits() const { return commits_; }
  // The walk stopped at a shallow boundary: older history is not in the repository.
  bool shallow() const { return hit_shallow_; }
  std::uint64_t trees_read() const { return trees_read_; }
  // Refs, HEADs and objects the walk started from (0: an empty repository).
  std::uint64_t tips() const { return tips_; }
  // The tips add_ref_tips() added, by name ("refs/heads/main", "HEAD",
  // "stash@{0}"), with the object each peels to.
  const std::vector<std::pair<std::string, git_oid>>& named_tips() const { return named_tips_; }

 private:
  void add_commit_tip(const git_oid& oid);
  // Walks one tree; returns false when an exclusion removed something inside,
  // which makes the result depend on `prefix` (see the .cpp).
  // `index`: the tree store's number for it, when known.
  bool walk_tree(const git_oid& tree_oid, const std::string& prefix, std::uint32_t index = kNoIndex);
  void problem(const git_oid& oid, const std::string& message);
  // Marks what a known object holds as seen, reporting nothing.
  void mark_known(const git_oid& oid);

  git_repository* repo_;
  WalkCallbacks callbacks_;
  const TreeStore* store_;
  TreeReader trees_;
  OidSet shallow_;
  std::vector<git_oid> pending_;  // commits still to visit
  OidSet commits_seen_;
  std::vector<git_oid> commits_;
  ObjectSet trees_complete_;
  std::unordered_set<std::string> trees_at_prefix_;  // oid bytes + prefix
  ObjectSet blobs_;
  std::vector<git_oid> loose_blobs_;  // from add_all_objects()
  std::vector<std::pair<std::string, git_oid>> named_tips_;
  bool quiet_ = false;  // mark_known(): blobs are seen but not reported
  bool hit_shallow_ = false;
  unsigned depth_ = 0;  // of walk_tree's recursion (kMaxTreeDepth)
  std::uint64_t trees_read_ = 0;
  std::uint64_t tips_ = 0;
};

}  // namespace sentryscan::git
