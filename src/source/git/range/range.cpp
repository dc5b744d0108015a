#include "source/git/range/range.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/hex.h"

namespace sentryscan::git {

const char* const kFetchHistoryHint =
    "fetch the full history (actions/checkout with `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`, or "
    "`git fetch --unshallow`) and run again";

namespace {


bool all_zeros(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

// A full (not abbreviated) SHA-1 object id: the only spelling that can name a
// commit this repository never had, as CI events do (`before`, `head.sha`).
bool is_full_object_id(std::string_view text) {
  return text.size() == GIT_OID_HEXSZ &&
         std::all_of(text.begin(), text.end(), [](char c) { return hex_value(c) >= 0; });
}

// A full id of no object at all here, as opposed to one of a tree or blob.
bool absent_object_id(git_repository* repo, const std::string& text) {
  git_oid oid;
  if (!is_full_object_id(text) || git_oid_fromstr(&oid, text.c_str()) < 0) return false;
  git_object* raw = nullptr;
  const int rc = git_object_lookup(&raw, repo, &oid, GIT_OBJECT_ANY);
  Object object(raw);
  return rc == GIT_ENOTFOUND;
}

// Resolves a revision to a commit id; false when it names nothing here.
bool resolve_commit(git_repository* repo, const std::string& revision, git_oid& out) {
  // Names of references first: libgit2 1.5's revparse leaks the reference
  // when it points at a missing object (a HEAD pointing nowhere).
  git_object* raw_commit = nullptr;
  git_reference* raw_ref = nullptr;
  if (git_reference_dwim(&raw_ref, repo, revision.c_str()) == 0) {
    Reference ref(raw_ref);
    if (git_reference_peel(&raw_commit, ref.get(), GIT_OBJECT_COMMIT) < 0) return false;
  } else {
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo, revision.c_str()) < 0) return false;
    Object object(raw);
    if (git_object_peel(&raw_commit, object.get(), GIT_OBJECT_COMMIT) < 0) return false;
  }
  Object commit(raw_commit);
  out = *git_object_id(commit.get());
  return true;
}

}  // namespace

std::optional<RangeSpec> parse_range(std::string_view text) {
  RangeSpec spec;
  auto dots = text.find("...");
  std::size_t width = 3;
  if (dots == std::string_view::npos) {
    dots = text.find("..");
    width = 2;
  } else {
    spec.merge_base = true;
  }
  if (dots == std::string_view::npos) return std::nullopt;
  spec.base = std::string(text.substr(0, dots));
  const std::string_view head = text.substr(dots + width);
  if (spec.base.empty() || head.find("..") != std::string_view::npos) return std::nullopt;
  if (!head.empty()) spec.head = std::string(head);
  return spec;
}

RangePlan plan_range(git_repository* repo, const RangeSpec& spec) {
  RangePlan plan;
  if (!resolve_commit(repo, spec.head, plan.head)) {
    if (!absent_object_id(repo, spec.head))
      throw RangeError(fmt::format("'{}' does not name a commit in this repository", spec.head));
    plan.kind = RangePlan::Kind::head_missing;
    plan.message = fmt::format(
        "head commit {} is not in this repository (it was never fetched): the range cannot be checked; fetch it "
        "and run again. For a pull request (pull_request_target checks out the base branch, not the pull "
        "request), fetch the pull request's head, e.g. `git fetch origin +refs/pull/*/head:refs/remotes/pull/*`",
        spec.head);
    return plan;
  }
  const bool shallow = git_repository_is_shallow(repo) == 1;

  if (all_zeros(spec.base)) {
    plan.kind = RangePlan::Kind::new_branch;
    plan.message = "BASE is all zeros (a new branch was pushed): scanning the commits reachable from HEAD "
                   "that no remote-tracking branch contains";
    return plan;
  }
  if (!resolve_commit(repo, spec.base, plan.base)) {
    if (!absent_object_id(repo, spec.base)) {
      const std::string hint =
          shallow ? fmt::format(" (a shallow clone: if it was not fetched, {})", kFetchHistoryHint) : "";
      throw RangeError(fmt::format("'{}' does not name a commit in this repository{}", spec.base, hint));
    }
    if (shallow) {
      plan.kind = RangePlan::Kind::base_missing;
      plan.message = fmt::format("base revision '{}' is not in this repository (shallow clone): the range cannot be "
                                 "checked; {}",
                                 spec.base, kFetchHistoryHint);
      return plan;
    }
    // A complete repository lacks it: the commit no longer exists upstream
    // (force-push, rebase) or was never on a fetched branch. No fetch can help,
    // and refusing would block the branch forever.
    plan.kind = RangePlan::Kind::new_branch;
    plan.message = fmt::format("base commit {} is not in this repository, which has its full history: the branch "
                               "was probably force-pushed (its old tip is gone) or the base was never fetched; "
                               "scanning the commits reachable from HEAD that no remote-tracking branch contains",
                               spec.base);
    return plan;
  }
  if (spec.merge_base) {
    git_oid base;
    if (git_merge_base(&base, repo, &plan.base, &plan.head) < 0) {
      plan.kind = RangePlan::Kind::base_missing;
      plan.message = fmt::format("'{}' and '{}' have no common ancestor in this repository{}; {}", spec.base,
                                 spec.head, shallow ? " (shallow clone)" : "", kFetchHistoryHint);
      return plan;
    }
    plan.base = base;
  }
  if (git_oid_equal(&plan.base, &plan.head)) {
    plan.kind = RangePlan::Kind::new_branch;
    plan.message = "BASE equals HEAD: scanning the commits reachable from HEAD that no remote-tracking branch "
                   "contains";
  }
  return plan;
}

std::vector<git_oid> range_commits(git_repository* repo, const RangePlan& plan, bool& fell_back_to_head) {
  fell_back_to_head = false;
  git_revwalk* raw = nullptr;
  check(git_revwalk_new(&raw, repo), "starting a revision walk");
  Revwalk walk(raw);
  check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE), "sorting the revision walk");
  check(git_revwalk_push(walk.get(), &plan.head), "walking from HEAD");
  if (plan.kind == RangePlan::Kind::range) {
    check(git_revwalk_hide(walk.get(), &plan.base), "hiding the base of the range");
  } else {
    git_reference_iterator* raw_iterator = nullptr;
    check(git_reference_iterator_glob_new(&raw_iterator, repo, "refs/remotes/*"), "listing remote-tracking refs");
    ReferenceIterator iterator(raw_iterator);
    git_reference* raw_ref = nullptr;
    while (git_reference_next(&raw_ref, iterator.get()) == 0) {
      Reference ref(raw_ref);
      git_reference* raw_resolved = nullptr;
      if (git_reference_resolve(&raw_resolved, ref.get()) < 0) continue;
      Reference resolved(raw_resolved);
      const git_oid* target = git_reference_target(resolved.get());
      // The pushed branch's own remote-tracking ref points at HEAD; hiding it would hide everything.
      if (!target || git_oid_equal(target, &plan.head)) continue;
      git_revwalk_hide(walk.get(), target);  // a ref to a non-commit is simply not hidden
    }
  }
  std::vector<git_oid> commits;
  git_oid oid;
  int rc;
  while ((rc = git_revwalk_next(&oid, walk.get())) == 0) commits.push_back(oid);
  if (rc != GIT_ITEROVER) check(rc, "walking the commits of the range");
  if (commits.empty() && plan.kind == RangePlan::Kind::new_branch) {
    commits.push_back(plan.head);
    fell_back_to_head = true;
  }
  return commits;
}

}  // namespace sentryscan::git
