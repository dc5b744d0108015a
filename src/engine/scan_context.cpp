#include "engine/scan_context.h"

namespace sentryscan {

ScanContext::ScanContext(const Matcher& matcher, ScanSettings settings) : matcher_(matcher), settings_(settings) {
  if (settings_.threads == 0) settings_.threads = 1;
  limits_.max_decode_depth = settings_.max_decode_depth;
  limits_.max_archive_depth = settings_.max_archive_depth;
  limits_.archive.max_entry_size = settings_.max_file_size;
  limits_.archive.max_total = settings_.max_archive_size;
  limits_.archive.max_entries = settings_.max_archive_entries;
  for (unsigned i = 0; i < settings_.threads; ++i)
    scratches_.push_back(std::make_unique<Matcher::Scratch>(matcher_.make_scratch()));
}

std::vector<Finding> ScanContext::scan(unsigned worker, const Chunk& chunk) {
  items_.fetch_add(1, std::memory_order_relaxed);
  bytes_.fetch_add(chunk.data.size(), std::memory_order_relaxed);
  std::vector<ScanIssue> issues;
  decode::DeepScanner scanner(matcher_, *scratches_.at(worker), limits_);
  std::vector<Finding> findings = scanner.scan(chunk.data, chunk.provenance, issues);
  for (auto& issue : issues) add_issue(std::move(issue));
  return findings;
}

void ScanContext::add_findings(std::vector<Finding> findings) {
  if (findings.empty()) return;
  std::lock_guard lock(mutex_);
  for (auto& finding : findings) result_.findings.push_back(std::move(finding));
}

void ScanContext::add_issue(ScanIssue issue) {
  std::lock_guard lock(mutex_);
  result_.issues.push_back(std::move(issue));
}

void ScanContext::set_item_noun(std::string noun) {
  std::lock_guard lock(mutex_);
  result_.stats.item_noun = std::move(noun);
}

ScanResult ScanContext::finish() {
  std::lock_guard lock(mutex_);
  result_.stats.items_scanned = items_.load();
  result_.stats.bytes_scanned = bytes_.load();
  result_.stats.items_skipped = skipped_.load();
  result_.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return std::move(result_);
}

}  // namespace sentryscan
