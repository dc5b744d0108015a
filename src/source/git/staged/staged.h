// `sentryscan staged`: what `git commit` would record. The index blobs of the
// paths that differ from HEAD, keeping findings on added lines only (line
// numbers of the staged file), never the working tree.
#pragma once

#include <string>
#include <vector>

#include "core/glob.h"
#include "scan/sink.h"
#include "source/git/handle.h"

namespace sentryscan::git {

// Needs a live git::Session and a repository with an index (not bare). An
// unborn HEAD (before the first commit) compares against the empty tree.
// The index is the one set on `repo` (the CLI sets the one open_staged_index
// in staged_index.h chose: GIT_INDEX_FILE for a hook's own repository).
void run_staged(const Scanner& scanner, ScanSink& sink, git_repository* repo, const GlobSet& exclude);

}  // namespace sentryscan::git
