// The repositories of a multi-repository audit (`sentryscan git A B…`,
// `--repos FILE`) and the share of them one shard takes (`--shard I/N`).
//
//   std::vector<RepositoryEntry> all = read_repository_list(path);  // InputError: exit 2
//   std::vector<RepositoryEntry> mine = shard_of(all, {1, 4});
//
// Pure text handling: nothing here opens a repository or reaches a network.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sentryscan {

struct RepositoryEntry {
  std::string display;     // as reports name it: the URL without credentials, or the path as written
  std::string location;    // what to open: the URL as written, or the path (resolved against the list's directory)
  std::string normalised;  // the shard key and the list digest (normalise_repository)
  bool remote = false;
};

struct ShardSpec {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
};

// "I/N" with 0 <= I < N (0-based); nullopt otherwise.
std::optional<ShardSpec> parse_shard(std::string_view text);

// True for "scheme://..." and git's scp-like "[user@]host:path" (a ':' before
// the first '/'); everything else is a local path. Write "./a:b" for a local
// path with a colon in its first component, as with git.
bool is_remote_url(std::string_view target);

// A URL with any "user:password@" removed; other text unchanged.
std::string without_credentials(std::string_view target);

// The shard key: credentials removed, scheme and host lower-cased (URLs),
// trailing '/' and one trailing ".git" (then '/' again) removed. So
// "HTTPS://u:t@Example.com/org/repo.git/" and "https://example.com/org/repo"
// are the same repository, in every shard process.
std::string normalise_repository(std::string_view target);

// One entry of a list or command line; relative paths are resolved against
// `base` (the list file's directory; empty: as written, i.e. the current one).
RepositoryEntry make_entry(std::string_view target, const std::filesystem::path& base);

// One entry per line; '#' starts a comment line (a line whose first non-blank
// character is '#'), blank lines are skipped, surrounding blanks trimmed.
// Relative paths are relative to the list file's directory. Throws InputError
// when the file cannot be read.
std::vector<RepositoryEntry> read_repository_list(const std::filesystem::path& path);

// Entries with the same normalised text are one repository: later ones are
// dropped and their display names returned.
std::vector<std::string> drop_duplicates(std::vector<RepositoryEntry>& entries);

// The shard an entry belongs to: the first 8 bytes of SHA-256 of its
// normalised text, big-endian, modulo `count`. Each entry is in exactly one
// shard, whatever the order of the list.
std::uint32_t shard_index(const RepositoryEntry& entry, std::uint32_t count);

std::vector<RepositoryEntry> entries_of_shard(const std::vector<RepositoryEntry>& entries, ShardSpec shard);

// SHA-256 (hex) of the sorted normalised entries, one per line: the same list
// whatever its order, comments or spelling of each entry.
std::string list_digest(const std::vector<RepositoryEntry>& entries);

}  // namespace sentryscan
