// Where sources push what they produce: findings, issues and counters. The
// flow goes one way (source -> sink), as ripgrep's searcher pushes into its
// Sink; nothing downstream calls back into a source. Implementations must be
// safe to call from every worker thread at once.
//
//   void run_my_source(const Scanner& scanner, ScanSink& sink) {
//     sink.set_item_noun("files");
//     for (...) push_scan(scanner, sink, worker, Chunk{bytes, provenance});
//   }
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scan/scanner.h"

namespace sentryscan {

class ScanSink {
 public:
  virtual ~ScanSink() = default;
  virtual void add_findings(std::vector<Finding> findings) = 0;
  virtual void add_issue(ScanIssue issue) = 0;
  virtual void count_scanned(std::uint64_t bytes) = 0;  // one file, blob or stream scanned
  virtual void count_skipped() = 0;                     // one item not scanned (and said why)
  virtual void set_item_noun(std::string noun) = 0;     // "files" or "blobs", for the summary
};

// Scans one chunk, counts it and pushes its issues; returns the findings so a
// source can add provenance before pushing them (git: only for blobs with hits).
std::vector<Finding> scan_counted(const Scanner& scanner, ScanSink& sink, unsigned worker, const Chunk& chunk);

// The same, pushing the findings as they are.
void push_scan(const Scanner& scanner, ScanSink& sink, unsigned worker, const Chunk& chunk);

}  // namespace sentryscan
