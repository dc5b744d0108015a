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

  // A missing file is an empty cache. Returns a warning (never secret text)
  // when the file exists but cannot be read or parsed; the cache is then empty.
  std::string load(std::int64_t now);

  // A fresh entry for this secret checked against this base, detail marked as cached.
  std::optional<Validation> lookup(const std::string& secret_sha256, const std::string& base, std::int64_t now) const;
  void store(const std::string& secret_sha256, const std::string& base, const Validation& validation, std::int64_t now);

  // Rewrites the file atomically with mode 0600, dropping expired entries.
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
};

}  // namespace sentryscan::validate
