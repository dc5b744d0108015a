#include "source/git/range/range_baseline.h"

namespace sentryscan::git {

namespace {

// Internally the floor "no common history with BASE" is the zero id.
std::optional<git_oid> as_tree_commit(const git_oid& floor) {
  if (is_zero(floor)) return std::nullopt;
  return floor;
}

}  // namespace

RangeBaselines::RangeBaselines(git_repository* repo, const RangePlan& plan, const std::vector<git_oid>& commits)
    : repo_(repo), has_base_(plan.kind == RangePlan::Kind::range), base_(plan.base) {
  for (const auto& commit : commits) in_range_.insert(commit);
}

std::optional<git_oid> RangeBaselines::floor_of_parent(const git_oid& parent) const {
  // A commit outside the range is in BASE's history: it is its own floor.
  if (!in_range_.contains(parent)) return parent;
  auto it = floors_.find(parent);
  if (it == floors_.end()) return std::nullopt;  // skipped (shallow boundary, unreadable): unknown
  return it->second;
}

git_oid RangeBaselines::floor_of(git_commit* commit) {
  const unsigned count = git_commit_parentcount(commit);
  if (count == 0) return git_oid{};  // a root of its own: nothing in common with BASE
  if (count == 1) {
    // The merge base with BASE of a one-parent commit of the range is its parent's.
    if (auto floor = floor_of_parent(*git_commit_parent_id(commit, 0))) return *floor;
  } else {
    // A parent that contains BASE makes BASE the floor: no history walk for the usual PR.
    for (unsigned p = 0; p < count; ++p) {
      auto floor = floor_of_parent(*git_commit_parent_id(commit, p));
      if (floor && git_oid_equal(&*floor, &base_)) return base_;
    }
  }
  git_oid merge_base{};
  // No common ancestor, or history that cannot be walked: the empty tree, so
  // that more is reported rather than less (a walk that fails here has met
  // the shallow boundary, which is reported on its own).
  if (git_merge_base(&merge_base, repo_, &base_, git_commit_id(commit)) < 0) return git_oid{};
  return merge_base;
}

RangeBaselines::References RangeBaselines::references(git_commit* commit) {
  const unsigned count = git_commit_parentcount(commit);
  References refs;
  if (!has_base_) {
    for (unsigned p = 0; p < count; ++p) refs.commits.push_back(*git_commit_parent_id(commit, p));
    return refs;
  }
  const git_oid floor = floor_of(commit);
  floors_[*git_commit_id(commit)] = floor;
  bool floor_listed = false;
  for (unsigned p = 0; p < count; ++p) {
    const git_oid* parent = git_commit_parent_id(commit, p);
    const auto parent_floor = floor_of_parent(*parent);
    if (parent_floor && git_oid_equal(&*parent_floor, &floor)) {
      refs.commits.push_back(*parent);
      floor_listed = floor_listed || git_oid_equal(parent, &floor);
    } else {
      refs.replaced_parents = true;
    }
  }
  if (refs.replaced_parents && !floor_listed) refs.commits.push_back(as_tree_commit(floor));
  return refs;
}

}  // namespace sentryscan::git
