// The index `sentryscan staged` compares with HEAD: the repository's own, or
// the one GIT_INDEX_FILE names (git's temporary index for the hooks of
// `git commit -a` and `git commit PATH`), sparse or not.
#pragma once

#include <string>

#include "source/git/handle.h"

namespace sentryscan::git {

// Opens `index_file` ("": the repository's own index). A sparse index, which
// libgit2 1.5 cannot read, is expanded (git_sparse_index.h). Throws GitError
// saying why the index cannot be read, including when `index_file` does not
// exist: libgit2 would take that as an empty index and the check would pass.
Index open_staged_index(git_repository* repo, const std::string& index_file);

}  // namespace sentryscan::git
