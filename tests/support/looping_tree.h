// Hostile object databases for tests: objects stored under ids that are not
// their hashes, as a repository read with hash checks off (libgit2, git
// itself, the audit's pack reader) allows.
//
//   GitRepo repo;
//   const LoopingHistory history = add_looping_commit(repo);  // HEAD^{tree} holds itself
#pragma once

#include <string>

#include "support/git_repo.h"

namespace sentryscan::testing {

// The 20 raw bytes of a 40-digit hex id.
std::string raw_id(const std::string& hex);

// Writes `bytes` as a loose object of `type` stored under `id`.
void write_object_as(GitRepo& repo, const std::string& type, const std::string& bytes, const std::string& id);

struct LoopingHistory {
  std::string before, commit;  // the commit before the loop, and the commit whose tree holds itself
  std::string leak_blob;       // the blob of `leak.env`
};

// A commit (on refs/heads/loop) whose tree holds `leak.env` (a secret made
// by user_token_line) and `loop`, which names the tree's own id
// (1111...1111): a walk that follows it never ends on its own.
LoopingHistory add_looping_commit(GitRepo& repo);

}  // namespace sentryscan::testing
