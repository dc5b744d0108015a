// The sink every run uses: collects findings, issues and counters from all
// workers (thread-safe) until finish() hands them over as one ScanResult.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>

#include "scan/sink.h"

namespace sentryscan {

class Collector final : public ScanSink {
 public:
  void add_findings(std::vector<Finding> findings) override;
  void add_issue(ScanIssue issue) override;
  void count_scanned(std::uint64_t bytes) override;
  void count_skipped() override { skipped_.fetch_add(1, std::memory_order_relaxed); }
  void set_item_noun(std::string noun) override;

  // Counters so far, for a progress line; safe to read from any thread.
  std::uint64_t items_so_far() const { return items_.load(std::memory_order_relaxed); }
  std::uint64_t bytes_so_far() const { return bytes_.load(std::memory_order_relaxed); }

  // Ends the scan: everything collected, with timings.
  ScanResult finish();

 private:
  std::mutex mutex_;
  ScanResult result_;
  std::atomic<std::uint64_t> items_{0}, bytes_{0}, skipped_{0};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace sentryscan
