// What a whole scan produced, before suppression and reporting.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/finding.h"

namespace sentryscan {

// Something the user must hear about. `incomplete` problems mean content was
// not scanned (exit 3 unless findings already fail the run); warnings do not.
struct ScanIssue {
  enum class Kind { warning, incomplete };
  Kind kind = Kind::warning;
  std::string where;    // file path, object id, or "" for the whole run
  std::string message;  // never contains secret text
};

struct ScanStats {
  std::uint64_t items_scanned = 0;  // files, blobs or stdin streams
  std::uint64_t bytes_scanned = 0;
  std::uint64_t items_skipped = 0;  // too big, not a regular file, excluded by size...
  double seconds = 0.0;
  std::string item_noun = "files";  // "files" or "blobs", for the summary line
  std::string note{};  // ends the summary line: what a --state run scanned ("incremental: ...")
};

// What --validate made of the findings, counted per finding (not per
// distinct secret), so that nothing --only-live leaves out goes unsaid.
// With only_live, `revoked` and `skipped` count findings left out of the
// report; `unknown` ones stay in it (they may be live) and make the run
// incomplete rather than failing it.
struct ValidationCounts {
  bool enabled = false;
  bool only_live = false;
  std::uint64_t live = 0;
  std::uint64_t revoked = 0;
  std::uint64_t unknown = 0;  // could not be checked: never hidden
  std::uint64_t skipped = 0;  // not checkable by design or not allowed (DSNs, client secrets, other hosts)
};

struct ScanResult {
  std::vector<Finding> findings;
  std::vector<ScanIssue> issues;
  ScanStats stats;

  bool incomplete() const {
    for (const auto& issue : issues)
      if (issue.kind == ScanIssue::Kind::incomplete) return true;
    return false;
  }
};

}  // namespace sentryscan
