// The state file of nightly re-audits (`sentryscan git --state FILE`): per
// repository, the ref tips the last complete audit walked, a digest of every
// setting that changes what is found, and the (rule, fingerprint) pairs seen
// so far. Never a secret: fingerprints are hashes; paths and ref names are not secrets.
//
//   AuditState state = read_state(path);                // InputError: damaged, unknown version
//   RepositoryState& mine = state.repositories[identity];
//   if (mine.settings_digest == settings_digest(settings, recurse)) resume from mine.tips;
//   ... after a complete run: update mine, then
//   if (auto why = write_state(path, state)) error;     // atomic: temp file + rename
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "settings/settings.h"

namespace sentryscan {

inline constexpr int kStateVersion = 1;

struct StateTip {
  std::string ref;  // "refs/heads/main", "HEAD", "stash@{0}"
  std::string oid;  // 40 hex digits
};

struct RepositoryState {
  std::string audited_at;       // UTC, ISO 8601, for messages
  std::string settings_digest;  // settings_digest() of that audit
  std::vector<StateTip> tips;
  std::set<std::pair<std::string, std::string>> seen;  // (rule id, fingerprint)
};

struct AuditState {
  // Keyed by repository identity: a local repository's canonical git
  // directory, a remote's URL without credentials.
  std::map<std::string, RepositoryState> repositories;
};

// A missing file is an empty state. Throws InputError when the file cannot be
// read, is not a state file, has another version, or holds a malformed value.
AuditState read_state(const std::filesystem::path& path);
AuditState parse_state(std::string_view text, const std::string& origin);
std::string serialize_state(const AuditState& state);

// Writes a temporary file next to `path`, flushes it and renames it over
// `path`, so a reader sees the old file or the new one, never a part; on
// failure the old file is untouched and the temporary file removed. Returns
// the reason on failure.
std::optional<std::string> write_state(const std::filesystem::path& path, const AuditState& state);

// sha256 of everything that changes what an audit finds: the sentryscan
// version (decoders and matching change with it), the built-in rules and
// each --rules file's bytes, the exclusions (flags, config, ignore-file
// `path:` lines), the ignore file's fingerprints, every size, decode and
// archive limit, and --recurse-submodules. Not: the report format, colour,
// --fail-on, --baseline, --validate (they change how findings are shown or
// judged, which every run redoes), nor the thread count. An unreadable
// --rules file gives a digest that matches nothing (the run then fails on it).
std::string settings_digest(const Settings& settings, bool recurse_submodules);

// Now, as the state records it ("2026-12-01T02:03:04Z").
std::string utc_now();

}  // namespace sentryscan
