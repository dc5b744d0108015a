// The sidecar manifest of a multi-repository report (REPORT.manifest.json,
// docs/multi-repository.md): which shard of which list, each repository
// complete or not, the run's summary and exit status, and digests of the list
// and the settings, so `sentryscan merge` can tell a whole set of shards from
// a partial or mismatched one. The report itself stays one finding per line.
//
//   Manifest m = make_manifest(report, status, ...);
//   if (auto why = write_file_atomically(manifest_path(output), manifest_to_json(m))) ...
//   Manifest back = manifest_from_json(text, path);  // InputError when malformed
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/multi_audit.h"
#include "app/repository_list.h"
#include "report/report.h"
#include "settings/settings.h"

namespace sentryscan {

inline constexpr int kManifestVersion = 1;

struct Manifest {
  std::string tool_version;
  std::string report;         // the report's file name (no directory)
  std::string report_sha256;  // of the report's bytes as written
  std::string format;         // json or jsonl
  ShardSpec shard;
  std::uint64_t list_entries = 0;  // repositories in the whole list (after duplicates)
  std::string list_sha256;         // list_digest()
  std::string settings_sha256;     // settings_digest()
  std::vector<RepositoryOutcome> repositories;  // this shard's
  bool complete = true;
  int exit_status = 0;
  ScanStats stats;
  SuppressionCounts suppressed;
  ValidationCounts validation;
  std::int64_t finished_at = 0;
  std::vector<ScanIssue> issues;  // never secret text (ScanIssue)
};

// "REPORT.manifest.json" next to REPORT.
std::string manifest_path(const std::string& report_path);

// SHA-256 over everything that changes which findings a shard reports: the
// tool version, the rules (every --rules file's bytes), the limits but the
// thread count, excludes, ignore-file fingerprints, the baseline's bytes,
// --validate/--only-live, --show-secrets, --all-objects and
// --recurse-submodules. Shards of one audit must agree on it.
std::string settings_digest(const Settings& settings, bool all_objects, bool recurse_submodules);

std::string manifest_to_json(const Manifest& manifest);
// Throws InputError (naming `origin`) when the text is not a manifest.
Manifest manifest_from_json(const std::string& text, const std::string& origin);

// Writes `bytes` to a temporary file in the same directory, then renames it
// over `path`, so a reader sees the old file or the new one, never a part.
std::optional<std::string> write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace sentryscan
