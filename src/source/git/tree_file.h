// Reading one small file (.sentryscan.toml, .sentryscanignore, a baseline)
// from a commit's tree or from the index, so that the settings of a range can
// come from BASE and those of a pre-commit hook from what is being committed
// (app/config_files.h decides which; README, "What a scanned repository can
// and cannot control").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "source/git/handle.h"

namespace sentryscan::git {

struct TreeFile {
  std::string text;
  git_oid blob{};  // to tell whether two versions differ
};

// The file at `path` (relative to the top of the tree) in `commit`'s tree;
// nullopt when there is none, or it is not a regular file (a symlink or a
// submodule is not followed). Throws GitError when the objects cannot be read.
std::optional<TreeFile> read_commit_file(git_repository* repo, const git_oid& commit, std::string_view path);

// The same from the repository's current index (stage 0).
std::optional<TreeFile> read_index_file(git_repository* repo, std::string_view path);

// `path` made relative to the top of the working tree, or nullopt when it
// lies outside it (or the repository is bare).
std::optional<std::string> path_in_worktree(git_repository* repo, const std::string& path);

}  // namespace sentryscan::git
