#include "source/git_range.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "source/git_changes.h"
#include "source/git_history.h"
#include "source/git_provenance.h"
#include "source/git_scan_common.h"

namespace sentryscan::git {

void run_range(ScanContext& context, git_repository* repo, const RangePlan& plan,
               const std::vector<std::string>& exclude) {
  context.set_item_noun("blobs");
  if (plan.kind == RangePlan::Kind::base_missing || plan.kind == RangePlan::Kind::head_missing) {
    context.add_issue({ScanIssue::Kind::incomplete, "", plan.message});
    return;
  }
  std::vector<git_oid> commits;
  bool fell_back = false;
  try {
    commits = range_commits(repo, plan, fell_back);
  } catch (const GitError& error) {
    context.add_issue({ScanIssue::Kind::incomplete, "",
                       fmt::format("{}; if this is a shallow clone, {}", error.what(), kFetchHistoryHint)});
    return;
  }
  if (plan.kind == RangePlan::Kind::new_branch) {
    context.add_issue({ScanIssue::Kind::warning, "",
                       fell_back ? plan.message + "; every commit is already on a remote-tracking branch, so HEAD's "
                                                  "own commit is scanned"
                                 : fmt::format("{} ({} commits)", plan.message, commits.size())});
  }

  ProblemSink problems(context);
  const ChangeOptions options = change_options(context, problems, exclude);
  const OidSet shallow = read_shallow_boundary(repo);
  std::vector<CommitMeta> metas;
  metas.reserve(commits.size());
  ChangeScanner scanner(context, problems, repository_path(repo), context.settings().threads, SourceKind::git);
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
      context.add_issue({ScanIssue::Kind::incomplete, metas.back().id,
                         fmt::format("the range reaches the shallow boundary at this commit, whose parents are not "
                                     "in the repository; {}",
                                     kFetchHistoryHint)});
      continue;
    }
    std::vector<Tree> owned;
    std::vector<git_tree*> parents;
    bool parents_ok = true;
    for (unsigned p = 0; p < git_commit_parentcount(commit.get()); ++p) {
      git_commit* raw_parent = nullptr;
      git_tree* raw_tree = nullptr;
      if (git_commit_parent(&raw_parent, commit.get(), p) < 0) {
        problems.object_problem(to_hex(*git_commit_parent_id(commit.get(), p)),
                                fmt::format("missing parent of commit {}: {}", metas.back().id, last_error_text(-1)));
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
    for (auto& change : tree_changes(repo, parents, tree.get(), options)) scanner.submit(order, std::move(change));
  }
  auto results = scanner.finish();
  problems.flush();

  // The same secret at the same path added by several commits (added,
  // removed, re-added) is one finding, credited to the earliest commit.
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  std::set<std::string> earlier;  // (fingerprint, path) added by an earlier commit
  std::set<std::string> current;
  std::uint64_t current_order = 0;
  std::vector<Finding> findings;
  for (auto& result : results) {
    if (result.order != current_order) {
      earlier.merge(current);
      current.clear();
      current_order = result.order;
    }
    const CommitMeta& meta = metas[result.order];
    for (auto& f : result.findings) {
      std::string key = f.fingerprint + '\n' + f.source.path;
      if (earlier.contains(key)) continue;
      current.insert(std::move(key));
      f.source.kind = SourceKind::git;
      f.source.commit = meta.id;
      f.source.author = meta.author;
      f.source.email = meta.email;
      f.source.date = meta.date;
      f.source.message = meta.summary;
      findings.push_back(std::move(f));
    }
  }
  context.add_findings(std::move(findings));
}

}  // namespace sentryscan::git
