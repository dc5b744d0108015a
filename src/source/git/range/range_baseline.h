// What each commit of the PR gate is compared against, so that a merge
// cannot bring back a secret BASE had deleted without it being reported.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "source/git/range/range.h"

namespace sentryscan::git {

// The rule. Every commit C of BASE..HEAD has a *floor*: the newest commit
// both C and BASE contain (their merge base; for BASE..HEAD with HEAD
// descending from BASE, BASE itself). What the floor holds is already in
// BASE's history, and merging C into BASE keeps BASE's deletions of it, so
// it is not new. Invariant, commit by commit (parents first): every line of
// C's tree is in its floor's tree or was reported (as far as per-file diffs
// with rename detection can tell). C's added lines are those
// new relative to every *reference*:
//   - a parent with the same floor as C (a commit of the range that kept the
//     invariant, or the floor itself);
//   - the floor, in place of every other parent. Such a parent is an older
//     commit outside the range (a merge of C1 after BASE deleted what C1
//     added) or a range commit forked before BASE's deletions (an old branch
//     that merges BASE): what it holds may be what BASE deleted.
// So every secret in the tree of a range commit that contains BASE is either
// in BASE's tree or reported, whatever the merge's shape or parent order; an
// evil merge's own lines stay new relative to everything. A commit with one
// parent keeps its parent's floor and is compared with that parent, as
// before: a branch forked before a deletion only carries what it did not add.
// Renames are still detected against each reference, so moving a file that
// already holds a secret in BASE adds nothing.
//
// Cost: nothing for commits with one parent or merges with a parent that
// contains BASE (the usual PR); one merge-base walk for any other merge.
//
// Without a BASE (new branch, force-push) there is no floor: every parent is
// a reference, as before.
class RangeBaselines {
 public:
  RangeBaselines(git_repository* repo, const RangePlan& plan, const std::vector<git_oid>& commits);

  struct References {
    // The commits whose trees the added lines are measured against; nullopt
    // is the empty tree (no common history with BASE).
    std::vector<std::optional<git_oid>> commits;
    // Some parent was replaced by the floor. The merge is then compared with
    // what the range as a whole adds, so it meets again, maybe at another
    // path, secrets an earlier commit of the range already reported.
    bool replaced_parents = false;
  };
  // Commits must be asked for parents first (the order of range_commits).
  References references(git_commit* commit);

 private:
  // The zero id stands for "no common history with BASE".
  git_oid floor_of(git_commit* commit);
  // nullopt: a range commit whose floor is unknown (it was skipped).
  std::optional<git_oid> floor_of_parent(const git_oid& parent) const;

  git_repository* repo_;
  bool has_base_;
  git_oid base_{};
  OidSet in_range_;
  std::map<git_oid, git_oid, OidLess> floors_;  // range commits seen so far
};

}  // namespace sentryscan::git
