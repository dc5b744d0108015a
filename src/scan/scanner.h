// The scanner: a pure function of bytes, their provenance and the limits it
// was built with. It never collects anything; a source calls it, adds what it
// knows (git provenance for blobs with hits) and pushes into a ScanSink.
//
//   Scanner scanner(matcher, limits);           // one scratch per worker
//   ScanOutput out = scanner.scan(worker, Chunk{bytes, provenance});
//   sink.add(std::move(out));                   // or push_scan(...) below
//
// Each worker index (0 <= worker < limits.threads) must be used by one thread
// at a time: it selects that worker's Hyperscan scratch.
#pragma once

#include <memory>
#include <vector>

#include "match/matcher.h"
#include "scan/chunk.h"
#include "scan/deep_scan.h"
#include "scan/scan_result.h"
#include "settings/scan_limits.h"

namespace sentryscan {

// What one scan call produced. `issues` are limits hit or damaged archives
// inside the chunk; they never contain secret text.
struct ScanOutput {
  std::vector<Finding> findings;
  std::vector<ScanIssue> issues;
};

class Scanner {
 public:
  Scanner(const Matcher& matcher, ScanLimits limits);

  const ScanLimits& limits() const { return limits_; }
  unsigned workers() const { return limits_.threads; }
  // For a source that runs several scans at once with scanners of its own
  // (a multi-repository audit: one per repository, each with its workers).
  const Matcher& matcher() const { return matcher_; }

  // Detects binary and UTF-16 content, computes line/column, fingerprints and
  // inline allows; expands archives and undoes encodings (scan/deep_scan.h).
  ScanOutput scan(unsigned worker, const Chunk& chunk) const;

 private:
  const Matcher& matcher_;
  ScanLimits limits_;
  decode::DeepScanLimits deep_limits_;
  std::vector<std::unique_ptr<Matcher::Scratch>> scratches_;
};

}  // namespace sentryscan
