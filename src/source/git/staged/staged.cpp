#include "source/git/staged/staged.h"

#include <fmt/format.h>

#include <algorithm>

#include "source/git/staged/cache_tree.h"
#include "source/git/changes.h"
#include "source/git/scan_common.h"

namespace sentryscan::git {

void run_staged(const Scanner& scanner, ScanSink& sink, git_repository* repo, const GlobSet& exclude) {
  sink.set_item_noun("files");
  git_index* raw_index = nullptr;
  check(git_repository_index(&raw_index, repo), "reading the index");
  Index index(raw_index);

  Tree head;
  if (git_repository_head_unborn(repo) != 1) {
    git_reference* raw_ref = nullptr;
    git_object* raw_tree = nullptr;
    int rc = git_repository_head(&raw_ref, repo);
    if (rc == 0) {
      Reference ref(raw_ref);
      rc = git_reference_peel(&raw_tree, ref.get(), GIT_OBJECT_TREE);
    }
    if (rc < 0) {
      // Comparing against nothing would report every committed secret as new.
      sink.add_issue({ScanIssue::Kind::incomplete, "HEAD",
                         "cannot read the HEAD commit or its tree: " + last_error_text(rc)});
      return;
    }
    head.reset(reinterpret_cast<git_tree*>(raw_tree));
  }

  ProblemSink problems(sink);
  const ChangeOptions options = change_options(scanner, problems, exclude);
  // The cache-tree spares reading the trees of directories nothing was staged in.
  const auto may_differ = paths_that_may_differ(repo, head.get(), index.get());
  std::vector<ChangedBlob> changes;
  try {
    changes = index_changes(repo, head.get(), index.get(), options, may_differ ? &*may_differ : nullptr);
  } catch (const TreeTooDeep& e) {
    sink.add_issue({ScanIssue::Kind::incomplete, "HEAD", e.what()});
    return;
  }
  if (changes.empty()) return;

  // A typical commit touches a few files: do not start more workers than that.
  const unsigned threads =
      static_cast<unsigned>(std::min<std::size_t>(std::max(1u, scanner.workers()), changes.size()));
  ChangeScanner changes_scanner(scanner, sink, problems, repository_path(repo), threads, SourceKind::staged);
  for (auto& change : changes) changes_scanner.submit(0, std::move(change));
  std::vector<Finding> findings;
  for (auto& result : changes_scanner.finish())
    for (auto& f : result.findings) findings.push_back(std::move(f));
  problems.flush();
  sink.add_findings(std::move(findings));
}

}  // namespace sentryscan::git
