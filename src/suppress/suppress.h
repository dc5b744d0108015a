// Suppression (SPEC 2): inline allows, .sentryscanignore, baselines. Keyed by
// content fingerprint, never by line number.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/finding.h"
#include "engine/scan_result.h"

namespace sentryscan {

struct IgnoreFile {
  std::unordered_set<std::string> fingerprints;
  std::vector<std::string> path_globs;  // from `path:GLOB` lines
};

// Throws InputError (file and line) on a line that is neither a comment, a
// fingerprint nor a `path:` glob.
IgnoreFile parse_ignore_file(std::string_view text, std::string_view origin);
// A missing file is an empty IgnoreFile; an unreadable one throws InputError.
IgnoreFile load_ignore_file(const std::filesystem::path& path);

// Fingerprints of a previous json (or jsonl) report. Throws InputError.
std::unordered_set<std::string> load_baseline(const std::filesystem::path& path);

struct Suppressions {
  IgnoreFile ignore;
  std::unordered_set<std::string> baseline;
};

struct SuppressionOutcome {
  std::vector<Finding> kept;
  SuppressionCounts counts;
};

SuppressionOutcome apply_suppressions(std::vector<Finding> findings, const Suppressions& suppressions);

}  // namespace sentryscan
