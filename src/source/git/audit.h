// `sentryscan git [REPO]`: every distinct blob of the history scanned once,
// in parallel, with provenance looked up afterwards for blobs with findings.
#pragma once

#include <string>
#include <vector>

#include "core/glob.h"
#include "scan/sink.h"
#include "source/git/handle.h"

namespace sentryscan::git {

struct AuditOptions {
  bool all_objects = false;         // also blobs no ref reaches (dangling commits, reflog-only history)
  bool recurse_submodules = false;  // also the history of checked-out submodules
  GlobSet exclude;  // path globs
};

// Needs a live git::Session. Problems become issues on `context`.
void run_audit(const Scanner& scanner, ScanSink& sink, git_repository* repo, const AuditOptions& options);

}  // namespace sentryscan::git
