// Suppression (SPEC 2): inline allows, .sentryscanignore, baselines. Keyed by
// content fingerprint, never by line number.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/finding.h"
#include "core/glob.h"
#include "settings/ignore_file.h"

namespace sentryscan {

// Fingerprints of a previous json (or jsonl) report. Throws InputError.
std::unordered_set<std::string> load_baseline(const std::filesystem::path& path);
// The same from bytes already read (BASE's version of a baseline in a range).
std::unordered_set<std::string> parse_baseline(std::string_view text, const std::string& origin);

struct Suppressions {
  std::unordered_set<std::string> ignored_fingerprints;  // .sentryscanignore
  GlobSet ignored_paths;                                 // its `path:` globs
  std::unordered_set<std::string> baseline;
};

// Findings removed by each suppression mechanism; counted, never silently dropped.
struct SuppressionCounts {
  std::uint64_t inline_allow = 0;
  std::uint64_t ignore_file = 0;
  std::uint64_t baseline = 0;
  std::uint64_t earlier_audit = 0;  // --new-only: seen by an audit a --state file recorded
  std::uint64_t total() const { return inline_allow + ignore_file + baseline + earlier_audit; }
};

struct SuppressionOutcome {
  std::vector<Finding> kept;
  SuppressionCounts counts;
  std::vector<Finding> allowed_inline;  // suppressed by `sentryscan:allow`, for reviewers (README, trust model)
};

SuppressionOutcome apply_suppressions(std::vector<Finding> findings, const Suppressions& suppressions);

}  // namespace sentryscan
