// Reading a sparse index (`git sparse-checkout --sparse-index`, git 2.32+).
//
// Outside the sparse-checkout cone such an index holds a whole directory as
// one entry (mode 040000, path ending in '/', the id of its tree) and marks
// itself with the mandatory 'sdir' extension. libgit2 1.5 refuses to load it
// ("unsupported mandatory extension"), so `staged` reads it here and expands
// each directory entry from its tree, as git's `ensure_full_index` does.
#pragma once

#include <string_view>

#include "source/git/handle.h"

namespace sentryscan::git {

// True when `index_file` (the bytes of an index) carries the 'sdir' extension.
bool is_sparse_index(std::string_view index_file);

// An in-memory index with every entry of the sparse index `index_file`,
// directory entries replaced by the files of their trees (read from `repo`).
// Throws GitError when the file is malformed or a tree cannot be read.
Index expand_sparse_index(git_repository* repo, std::string_view index_file);

}  // namespace sentryscan::git
