// Whether an audit can resume from the ref tips an earlier audit recorded
// (--state), and under which name a local repository is recorded.
//
//   if (auto why = why_not_resume(repo, recorded)) full audit, saying *why;
//   else options.known_tips = oids of recorded;
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "source/git/handle.h"

namespace sentryscan::git {

struct RecordedTip {
  std::string ref;  // "refs/heads/main", "HEAD", "stash@{0}"
  git_oid oid{};    // the object it peeled to
};

// The canonical absolute path of the repository's common git directory: the
// same for a working tree, its .git, a linked worktree or a symlink to them.
std::string repository_identity(git_repository* repo);

// Why the content the recorded tips reach cannot be taken as scanned (one
// sentence, for stderr and the summary), or nullopt. A ref under refs/ that
// was deleted or no longer contains its recorded tip (force-push, rebase), a
// recorded object that is gone, or a shallow repository (its boundary cannot
// be walked): the audit starts over. HEAD, worktree HEADs and stash entries
// may move freely.
std::optional<std::string> why_not_resume(git_repository* repo, const std::vector<RecordedTip>& recorded);

}  // namespace sentryscan::git
