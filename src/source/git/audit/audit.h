// `sentryscan git [REPO]`: every distinct blob of the history scanned once,
// in parallel, with provenance looked up afterwards for blobs with findings.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/glob.h"
#include "scan/sink.h"
#include "source/git/handle.h"

namespace sentryscan::git {

// How blob contents are read. `pack` reads objects/pack/*.pack directly
// (source/git/pack) and leaves to libgit2 whatever it does not read: loose
// objects, alternates, bases outside the pack, damage. `libgit2` reads every
// blob through libgit2, as before; kept to compare the two.
enum class ObjectReader { pack, libgit2 };

// How a blob rebuilt from a delta is scanned (source/git/audit/delta_scan.h): `on`
// scans only what the delta changed and reuses its base's findings
// elsewhere; `off` scans every blob whole; `verify` does both for every blob
// the delta path takes, reports any difference as an incomplete issue, and
// adds one warning counting which path blobs took.
enum class DeltaScan { off, on, verify };

// What the audit of the top repository walked, for a state file (--state).
struct AuditWalk {
  std::vector<std::pair<std::string, git_oid>> tips;  // ref name, the object it peels to
  std::uint64_t commits = 0;                           // commits walked (only new ones when resuming)
};

struct AuditOptions {
  bool all_objects = false;         // also blobs no ref reaches (dangling commits, reflog-only history)
  bool recurse_submodules = false;  // also the history of checked-out submodules
  GlobSet exclude;  // path globs
  ObjectReader object_reader = ObjectReader::pack;
  // Resuming (--state): the tips an earlier audit walked; what they reach is
  // not scanned again (HistoryWalker::hide_known). Top repository only:
  // submodules are audited whole.
  std::vector<git_oid> known_tips{};
  AuditWalk* walk = nullptr;  // filled when not null
  DeltaScan delta_scan = DeltaScan::off;
  bool report_delta_counts = true;  // verify: add the warning that counts the paths blobs took
};

// Needs a live git::Session. Problems become issues on `context`.
void run_audit(const Scanner& scanner, ScanSink& sink, git_repository* repo, const AuditOptions& options);

}  // namespace sentryscan::git
