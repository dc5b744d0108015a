// The hub every source talks to: scans chunks on the caller's worker thread
// and collects findings, issues and counters. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "decode/deep_scan.h"
#include "engine/scan_result.h"
#include "match/matcher.h"
#include "source/chunk.h"

namespace sentryscan {

struct ScanSettings {
  unsigned threads = 1;
  std::uint64_t max_file_size = 50ull << 20;  // also the cap on one archive entry
  unsigned max_decode_depth = 2;              // nested encodings undone; 0 scans text as written
  unsigned max_archive_depth = 3;             // nested archives expanded; 0 scans archives as bytes
  std::uint64_t max_archive_size = 256ull << 20;  // bytes expanded per file or blob
  std::uint64_t max_archive_entries = 100000;     // archive entries per file or blob
};

class ScanContext {
 public:
  ScanContext(const Matcher& matcher, ScanSettings settings);

  const ScanSettings& settings() const { return settings_; }

  // Scans one chunk on worker `worker` (0 <= worker < settings().threads; each
  // worker index must be used by one thread at a time). Detects binary and
  // UTF-16 content, computes line/column, fingerprints and inline allows;
  // expands archives and undoes encodings (decode/deep_scan.h), adding an
  // issue when a limit stops that.
  // Returns the findings without recording them, so a source can add
  // provenance first (git: only for blobs with hits).
  std::vector<Finding> scan(unsigned worker, const Chunk& chunk);

  void add_findings(std::vector<Finding> findings);
  void add_issue(ScanIssue issue);
  void count_skipped() { skipped_.fetch_add(1, std::memory_order_relaxed); }
  void set_item_noun(std::string noun);

  // Counters so far, for a progress line; safe to read from any thread.
  std::uint64_t items_so_far() const { return items_.load(std::memory_order_relaxed); }
  std::uint64_t bytes_so_far() const { return bytes_.load(std::memory_order_relaxed); }

  // Ends the scan: everything collected, with timings.
  ScanResult finish();

 private:
  const Matcher& matcher_;
  ScanSettings settings_;
  decode::DeepScanLimits limits_;
  std::vector<std::unique_ptr<Matcher::Scratch>> scratches_;
  std::mutex mutex_;
  ScanResult result_;
  std::atomic<std::uint64_t> items_{0}, bytes_{0}, skipped_{0};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace sentryscan
