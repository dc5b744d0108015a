#include "source/git/range/range.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "source/git/changes.h"
#include "source/git/history.h"
#include "source/git/provenance.h"
#include "source/git/range/range_baseline.h"
#include "source/git/scan_common.h"

namespace sentryscan::git {

void run_range(const Scanner& scanner, ScanSink& sink, git_repository* repo, const RangePlan& plan,
               const GlobSet& exclude) {
  sink.set_item_noun("blobs");
  if (plan.kind == RangePlan::Kind::base_missing || plan.kind == RangePlan::Kind::head_missing) {
    sink.add_issue({ScanIssue::Kind::incomplete, "", plan.message});
    return;
  }
  std::vector<git_oid> commits;
  bool fell_back = false;
  try {
    commits = range_commits(repo, plan, fell_back);
  } catch (const GitError& error) {
    sink.add_issue({ScanIssue::Kind::incomplete, "",
                       fmt::format("{}; if this is a shallow clone, {}", error.what(), kFetchHistoryHint)});
    return;
  }
  if (plan.kind == RangePlan::Kind::new_branch) {
    sink.add_issue({ScanIssue::Kind::warning, "",
                       fell_back ? plan.message + "; every commit is already on a remote-tracking branch, so HEAD's "
                                                  "own commit is scanned"
                                 : fmt::format("{} ({} commits)", plan.message, commits.size())});
  }

  ProblemSink problems(sink);
  const ChangeOptions options = change_options(scanner, problems, exclude);
  const OidSet shallow = read_shallow_boundary(repo);
  RangeBaselines baselines(repo, plan, commits);
  std::vector<bool> compared_with_floor(commits.size(), false);
  std::vector<CommitMeta> metas;
  metas.reserve(commits.size());
  ChangeScanner changes_scanner(scanner, sink, problems, repository_path(repo), scanner.workers(), SourceKind::git);
  for (std::size_t order = 0; order < commits.size(); ++order) {
    git_commit* raw = nullptr;
    const int rc = git_commit_lookup(&raw, repo, &commits[order]);
    metas.emplace_back();
    if (rc < 0) {
      problems.object_problem(to_hex(commits[order]), "missing or unreadable commit: " + last_error_text(rc));
      continue;
    }
    Commit commit(raw);
    metas.back() = commit_meta(commit.get());
    if (shallow.contains(commits[order])) {
      // Its parents were not fetched: diffing against nothing would report
      // every pre-existing secret as new.
      sink.add_issue({ScanIssue::Kind::incomplete, metas.back().id,
                         fmt::format("the range reaches the shallow boundary at this commit, whose parents are not "
                                     "in the repository; {}",
                                     kFetchHistoryHint)});
      continue;
    }
    // The parents' trees, except where a merge could use one to excuse what
    // BASE deleted (range_baseline.h).
    std::vector<Tree> owned;
    std::vector<git_tree*> parents;
    bool parents_ok = true;
    const RangeBaselines::References references = baselines.references(commit.get());
    if (references.replaced_parents) compared_with_floor[order] = true;
    for (const auto& reference : references.commits) {
      if (!reference) {
        parents.push_back(nullptr);  // no history in common with BASE: compared with nothing
        continue;
      }
      git_commit* raw_parent = nullptr;
      git_tree* raw_tree = nullptr;
      if (git_commit_lookup(&raw_parent, repo, &*reference) < 0) {
        problems.object_problem(to_hex(*reference), fmt::format("missing parent or merge base of commit {}: {}",
                                                                metas.back().id, last_error_text(-1)));
        parents_ok = false;
        break;
      }
      Commit parent(raw_parent);
      if (git_commit_tree(&raw_tree, parent.get()) < 0) {
        problems.object_problem(to_hex(*git_commit_tree_id(parent.get())), "missing or unreadable tree");
        parents_ok = false;
        break;
      }
      owned.emplace_back(raw_tree);
      parents.push_back(raw_tree);
    }
    git_tree* raw_tree = nullptr;
    if (!parents_ok) continue;
    if (git_commit_tree(&raw_tree, commit.get()) < 0) {
      problems.object_problem(to_hex(*git_commit_tree_id(commit.get())), "missing or unreadable tree");
      continue;
    }
    Tree tree(raw_tree);
    std::vector<ChangedBlob> changes;
    try {
      changes = tree_changes(repo, parents, tree.get(), options);
    } catch (const TreeTooDeep& e) {
      problems.object_problem(metas.back().id, e.what());
      continue;
    }
    for (auto& change : changes) changes_scanner.submit(order, std::move(change));
  }
  auto results = changes_scanner.finish();
  problems.flush();

  // The same secret at the same path added by several commits (added,
  // removed, re-added) is one finding, credited to the earliest commit.
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  // A merge compared with its floor meets the range's earlier additions again,
  // possibly moved: for it, any earlier finding of the secret is enough.
  std::set<std::string> earlier;  // (fingerprint, path) added by an earlier commit
  std::set<std::string> current;
  std::set<std::string> earlier_secrets;  // fingerprints alone
  std::set<std::string> current_secrets;
  std::uint64_t current_order = 0;
  std::vector<Finding> findings;
  for (auto& result : results) {
    if (result.order != current_order) {
      earlier.merge(current);
      current.clear();
      earlier_secrets.merge(current_secrets);
      current_secrets.clear();
      current_order = result.order;
    }
    const CommitMeta& meta = metas[result.order];
    for (auto& f : result.findings) {
      std::string key = f.fingerprint + '\n' + f.source.path;
      if (earlier.contains(key)) continue;
      if (compared_with_floor[result.order] && earlier_secrets.contains(f.fingerprint)) continue;
      current.insert(std::move(key));
      current_secrets.insert(f.fingerprint);
      f.source.kind = SourceKind::git;
      f.source.commit = meta.id;
      f.source.author = meta.author;
      f.source.email = meta.email;
      f.source.date = meta.date;
      f.source.message = meta.summary;
      findings.push_back(std::move(f));
    }
  }
  sink.add_findings(std::move(findings));
}

}  // namespace sentryscan::git
