// Compiling the rules into a Hyperscan database costs ~60 ms of CPU, more
// than a pre-commit hook's whole scan of a small change (SPEC 7: staged
// < 100 ms). The compiled database is therefore kept, serialized, in the
// user's cache directory and reused while the rules, the Hyperscan version
// and the CPU features are the same; any problem falls back to compiling.
#pragma once

#include <hs/hs.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sentryscan {

struct DatabaseRequest {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
};

// $SENTRYSCAN_CACHE_DIR, else $XDG_CACHE_HOME/sentryscan, else
// $HOME/.cache/sentryscan; nullopt (no caching) when SENTRYSCAN_NO_CACHE is
// set or no directory can be named.
std::optional<std::filesystem::path> database_cache_dir();

// The file a request's database is kept in: named by a hash of everything
// that changes the compiled bytes.
std::filesystem::path database_cache_file(const std::filesystem::path& dir, const DatabaseRequest& request);

// A database from `file`, or nullptr when it is absent, unreadable, corrupt
// or made for another Hyperscan version or CPU.
hs_database_t* load_cached_database(const std::filesystem::path& file);

// Writes `database` to `file` atomically (temporary file, then rename).
// Failure is not an error: the next run compiles again.
void store_cached_database(const std::filesystem::path& file, const hs_database_t* database);

}  // namespace sentryscan
