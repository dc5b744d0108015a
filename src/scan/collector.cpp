#include "scan/collector.h"

namespace sentryscan {

std::vector<Finding> scan_counted(const Scanner& scanner, ScanSink& sink, unsigned worker, const Chunk& chunk) {
  ScanOutput out = scanner.scan(worker, chunk);
  sink.count_scanned(chunk.data.size());
  for (auto& issue : out.issues) sink.add_issue(std::move(issue));
  return std::move(out.findings);
}

void push_scan(const Scanner& scanner, ScanSink& sink, unsigned worker, const Chunk& chunk) {
  sink.add_findings(scan_counted(scanner, sink, worker, chunk));
}

void Collector::add_findings(std::vector<Finding> findings) {
  if (findings.empty()) return;
  std::lock_guard lock(mutex_);
  for (auto& finding : findings) result_.findings.push_back(std::move(finding));
}

void Collector::add_issue(ScanIssue issue) {
  std::lock_guard lock(mutex_);
  result_.issues.push_back(std::move(issue));
}

void Collector::count_scanned(std::uint64_t bytes) {
  items_.fetch_add(1, std::memory_order_relaxed);
  bytes_.fetch_add(bytes, std::memory_order_relaxed);
}

void Collector::set_item_noun(std::string noun) {
  std::lock_guard lock(mutex_);
  result_.stats.item_noun = std::move(noun);
}

ScanResult Collector::finish() {
  std::lock_guard lock(mutex_);
  result_.stats.items_scanned = items_.load();
  result_.stats.bytes_scanned = bytes_.load();
  result_.stats.items_skipped = skipped_.load();
  result_.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return std::move(result_);
}

}  // namespace sentryscan
