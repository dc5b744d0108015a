#include "validate/cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

namespace sentryscan::validate {
namespace {

constexpr std::string_view kFormat = "sentryscan-validation-cache";
constexpr int kVersion = 1;

bool is_sha256_hex(const std::string& text) {
  if (text.size() != 64) return false;
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::optional<ValidationStatus> cacheable_status(std::string_view name) {
  if (name == "live") return ValidationStatus::live;
  if (name == "revoked") return ValidationStatus::revoked;
  return std::nullopt;
}

std::string iso_time(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

// What is at the cache path. Only `missing` and `cache` may ever be written.
enum class Found { missing, cache, foreign, link, not_regular, unreadable };

struct Inspection {
  Found found = Found::missing;
  nlohmann::json document;  // the parsed file when `cache`
  std::string reason;       // when `unreadable`
};

// A cache holds a few hundred bytes per credential; a bigger file is not one
// (and is not read into memory to find that out).
constexpr off_t kMaxCacheBytes = 64 << 20;

// Reads and parses the file at `path` without following a symbolic link.
Inspection inspect(const std::filesystem::path& path) {
  Inspection result;
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno != ENOENT) result = {Found::unreadable, {}, std::strerror(errno)};
    return result;
  }
  if (S_ISLNK(info.st_mode)) return {Found::link, {}, {}};
  if (!S_ISREG(info.st_mode)) return {Found::not_regular, {}, {}};
  if (info.st_size > kMaxCacheBytes) return {Found::foreign, {}, {}};
  // O_NOFOLLOW and O_NONBLOCK: a link or a FIFO swapped in since lstat.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ELOOP) return {Found::link, {}, {}};
  if (fd < 0) return {Found::unreadable, {}, std::strerror(errno)};
  std::string text;
  char buffer[65536];
  ssize_t n = 0;
  while ((n = ::read(fd, buffer, sizeof buffer)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      result = {Found::unreadable, {}, std::strerror(errno)};
      break;
    }
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > static_cast<std::size_t>(kMaxCacheBytes)) {
      result.found = Found::foreign;
      break;
    }
  }
  const bool regular = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
  ::close(fd);
  if (result.found != Found::missing) return result;
  if (!regular) return {Found::not_regular, {}, {}};
  auto json = nlohmann::json::parse(text, nullptr, false);
  const bool marked = json.is_object() && json.contains("format") && json["format"].is_string() &&
                      json["format"].get<std::string>() == kFormat;
  if (!marked) return {Found::foreign, {}, {}};
  return {Found::cache, std::move(json), {}};
}

// Moves the finished `temp` to `path`, checking again just before what is
// there now: another process may have put something at the path since load().
// A free path is taken only if it is still free (RENAME_NOREPLACE, or link()
// where the filesystem lacks it); rename() over a sentryscan cache replaces
// the directory entry, so even a link swapped in at the last moment is
// replaced itself, never its target.
std::string install(const std::string& temp, const std::filesystem::path& path) {
  const Found there = inspect(path).found;
  int status = -1;
  bool linked = false;  // temp still has its own name, to remove
  if (there == Found::cache) {
    status = ::rename(temp.c_str(), path.c_str());
  } else if (there == Found::missing) {
    status = ::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
    if (status != 0 && (errno == EINVAL || errno == ENOSYS)) {
      status = ::link(temp.c_str(), path.c_str());
      linked = true;
    }
  } else {
    ::unlink(temp.c_str());
    return "validation cache was replaced during the run by something that is not a sentryscan cache file; it was "
           "left untouched";
  }
  const std::string reason = status == 0 ? std::string() : std::strerror(errno);
  if (status != 0 || linked) ::unlink(temp.c_str());
  if (status != 0) return fmt::format("cannot write validation cache: {}", reason);
  return {};
}

}  // namespace

bool ValidationCache::fresh(const Entry& entry, std::int64_t now) const {
  // Entries from the future (clock skew, tampering) are not trusted either.
  return entry.checked_at <= now + 300 && static_cast<double>(now - entry.checked_at) < ttl_seconds_;
}

std::string ValidationCache::load(std::int64_t now) {
  entries_.clear();
  writable_ = false;
  const Inspection at = inspect(path_);
  switch (at.found) {
    case Found::missing: writable_ = true; return {};
    case Found::cache: break;
    case Found::link:
      return "validation cache is a symbolic link; sentryscan neither follows nor replaces one, so this run has no "
             "validation cache";
    case Found::not_regular: return "validation cache is not a regular file; this run has no validation cache";
    case Found::unreadable:
      return fmt::format("cannot read validation cache: {}; this run has no validation cache", at.reason);
    case Found::foreign:
      return "validation cache is not a sentryscan cache file; it was left untouched and this run has no "
             "validation cache";
  }
  // Our format marker: ours to replace, whatever else is wrong inside.
  writable_ = true;
  const auto damaged = std::string("validation cache is damaged or from another sentryscan version; its entries are "
                                   "ignored and it will be rewritten");
  const nlohmann::json& json = at.document;
  try {
    if (json.value("version", 0) != kVersion || !json.contains("entries") || !json["entries"].is_object())
      return damaged;
    for (const auto& [key, value] : json["entries"].items()) {
      if (!is_sha256_hex(key) || !value.is_object()) continue;
      const auto status = cacheable_status(value.value("status", ""));
      if (!status || !value.contains("checked_at") || !value["checked_at"].is_number_integer()) continue;
      Entry entry;
      entry.base = value.value("base", "");
      entry.validation.status = *status;
      entry.validation.http_status = value.value("http_status", 0);
      entry.validation.detail = value.value("detail", "");
      entry.checked_at = value["checked_at"].get<std::int64_t>();
      if (fresh(entry, now)) entries_.emplace(key, std::move(entry));
    }
  } catch (const nlohmann::json::exception&) {  // a field of the wrong type
    entries_.clear();
    return damaged;
  }
  return {};
}

std::optional<Validation> ValidationCache::lookup(const std::string& secret_sha256, const std::string& base,
                                                  std::int64_t now) const {
  const auto it = entries_.find(secret_sha256);
  if (it == entries_.end() || it->second.base != base || !fresh(it->second, now)) return std::nullopt;
  Validation validation = it->second.validation;
  validation.detail += fmt::format(" (cached, checked {})", iso_time(it->second.checked_at));
  return validation;
}

void ValidationCache::store(const std::string& secret_sha256, const std::string& base, const Validation& validation,
                            std::int64_t now) {
  if (validation.status != ValidationStatus::live && validation.status != ValidationStatus::revoked) return;
  entries_[secret_sha256] = Entry{base, validation, now};
  dirty_ = true;
}

std::string ValidationCache::save(std::int64_t now) const {
  if (!dirty_ || !writable_) return {};
  nlohmann::json entries = nlohmann::json::object();
  for (const auto& [key, entry] : entries_) {
    if (!fresh(entry, now)) continue;
    entries[key] = {{"base", entry.base},
                    {"status", std::string(to_string(entry.validation.status))},
                    {"http_status", entry.validation.http_status},
                    {"detail", entry.validation.detail},
                    {"checked_at", entry.checked_at}};
  }
  const nlohmann::json document = {{"format", kFormat}, {"version", kVersion}, {"entries", entries}};
  const std::string text = document.dump(2) + "\n";

  // Write a new file next to the target, then rename it over the target, so a
  // crash never leaves half a file. mkstemp creates the file (O_EXCL, 0600):
  // a symbolic link planted at a predictable temporary name is never followed.
  std::string temp = path_.string() + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return fmt::format("cannot write validation cache: {}", std::strerror(errno));
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      return fmt::format("cannot write validation cache: {}", reason);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    return fmt::format("cannot write validation cache: {}", reason);
  }
  return install(temp, path_);
}

}  // namespace sentryscan::validate
