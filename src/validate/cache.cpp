#include "validate/cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

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

}  // namespace

bool ValidationCache::fresh(const Entry& entry, std::int64_t now) const {
  // Entries from the future (clock skew, tampering) are not trusted either.
  return entry.checked_at <= now + 300 && static_cast<double>(now - entry.checked_at) < ttl_seconds_;
}

std::string ValidationCache::load(std::int64_t now) {
  entries_.clear();
  std::error_code error;
  if (!std::filesystem::exists(path_, error)) return {};
  std::ifstream in(path_, std::ios::binary);
  if (!in) return fmt::format("cannot read validation cache {}; ignoring it", path_.string());
  std::stringstream text;
  text << in.rdbuf();
  const auto not_a_cache = fmt::format("validation cache {} is not a sentryscan cache file; ignoring it", path_.string());
  const auto json = nlohmann::json::parse(text.str(), nullptr, false);
  try {
    if (json.is_discarded() || !json.is_object() || json.value("format", "") != kFormat ||
        json.value("version", 0) != kVersion || !json.contains("entries") || !json["entries"].is_object())
      return not_a_cache;
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
    return not_a_cache;
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
  if (!dirty_) return {};
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

  // Write next to the target and rename, so a crash never leaves half a file.
  const std::string temp = path_.string() + fmt::format(".tmp{}", static_cast<long>(getpid()));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fmt::format("cannot write validation cache {}: {}", path_.string(), std::strerror(errno));
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      return fmt::format("cannot write validation cache {}: {}", path_.string(), reason);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(temp.c_str(), path_.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    return fmt::format("cannot write validation cache {}: {}", path_.string(), reason);
  }
  return {};
}

}  // namespace sentryscan::validate
