#include "scan/scanner.h"

namespace sentryscan {

Scanner::Scanner(const Matcher& matcher, ScanLimits limits) : matcher_(matcher), limits_(limits) {
  if (limits_.threads == 0) limits_.threads = 1;
  deep_limits_.max_decode_depth = limits_.max_decode_depth;
  deep_limits_.max_archive_depth = limits_.max_archive_depth;
  deep_limits_.archive.max_entry_size = limits_.max_file_size;
  deep_limits_.archive.max_total = limits_.max_archive_size;
  deep_limits_.archive.max_entries = limits_.max_archive_entries;
  for (unsigned i = 0; i < limits_.threads; ++i)
    scratches_.push_back(std::make_unique<Matcher::Scratch>(matcher_.make_scratch()));
}

ScanOutput Scanner::scan(unsigned worker, const Chunk& chunk) const {
  ScanOutput out;
  decode::DeepScanner deep(matcher_, *scratches_.at(worker), deep_limits_);
  out.findings = deep.scan(chunk.data, chunk.provenance, out.issues);
  return out;
}

}  // namespace sentryscan
