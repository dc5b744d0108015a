// On-disk validation cache (--validation-cache FILE). Keyed by sha256 of the
// secret and the base URL it was checked against; the secret itself is never
// written. Only determined answers (live, revoked) are kept: an `unknown` is
// worth asking again next run, and `skipped` depends on the flags.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/finding.h"

namespace sentryscan::validate {

class ValidationCache {
 public:
  ValidationCache() = default;
  ValidationCache(std::filesystem::path path, double ttl_seconds) : path_(std::move(path)), ttl_seconds_(ttl_seconds) {}

  // A missing file is an empty cache. Returns a warning (never secret text,
  // never the path: the caller's issue names the file) when the file exists
  // but cannot be used; the cache is then empty. Only a file that carries the
  // sentryscan format marker is read or ever replaced: anything else at the
  // path (another file, a symbolic link, a directory) is left as it is and
  // the run goes on without a cache.
  std::string load(std::int64_t now);

  // A fresh entry for this secret checked against this base, detail marked as cached.
  std::optional<Validation> lookup(const std::string& secret_sha256, const std::string& base, std::int64_t now) const;
  void store(const std::string& secret_sha256, const std::string& base, const Validation& validation, std::int64_t now);

  // Rewrites the file atomically with mode 0600, dropping expired entries:
  // a new file (never following a symbolic link planted at its name, whose
  // target it would clobber), renamed over the old one after checking again
  // that the old one is still a sentryscan cache, or created only if the path
  // is still free. Does nothing after load() refused the file.
  // Returns a warning on failure, empty on success.
  std::string save(std::int64_t now) const;

 private:
  struct Entry {
    std::string base;
    Validation validation;
    std::int64_t checked_at = 0;
  };
  bool fresh(const Entry& entry, std::int64_t now) const;

  std::filesystem::path path_;
  double ttl_seconds_ = 0;
  std::map<std::string, Entry> entries_;  // by secret sha256
  bool dirty_ = false;
  bool writable_ = false;  // load() found nothing, or a sentryscan cache, at path_
};

}  // namespace sentryscan::validate
