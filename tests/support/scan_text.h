// In-process scanning with the default rules (the one "default matcher" of
// the suite, compiled once per test binary), and the wall-clock bound that
// "does not hang" tests use.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "scan/scanner.h"
#include "match/matcher.h"
#include "rules/rule_loader.h"

namespace sentryscan::testing {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Generous: sanitizer builds are slow, and the hangs these tests guard
// against take minutes, not seconds.
constexpr double kLimitSeconds = 20.0;

inline const Matcher& default_matcher() {
  static const Matcher m(default_rules());
  return m;
}

inline std::vector<Finding> scan_text(std::string_view text, const std::string& path) {
  const Scanner context(default_matcher(), ScanLimits{1, 1ull << 30});
  Provenance provenance;
  provenance.path = path;
  return context.scan(0, Chunk{text, provenance}).findings;
}

}  // namespace sentryscan::testing
