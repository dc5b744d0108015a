#include "app/repository_list.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/input_error.h"
#include "core/secret_hash.h"
#include "core/user_file.h"

namespace sentryscan {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<std::uint32_t> parse_number(std::string_view text) {
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<ShardSpec> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto index = parse_number(text.substr(0, slash));
  const auto count = parse_number(text.substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count) return std::nullopt;
  return ShardSpec{*index, *count};
}

bool is_remote_url(std::string_view target) {
  if (target.find("://") != std::string_view::npos) return true;
  const auto colon = target.find(':');
  return colon != std::string_view::npos && colon > 0 && target.substr(0, colon).find('/') == std::string_view::npos;
}

std::string without_credentials(std::string_view target) {
  const auto scheme = target.find("://");
  if (scheme == std::string_view::npos) return std::string(target);
  const auto authority = scheme + 3;
  const auto end = target.find_first_of("/?#", authority);
  const std::string_view host_part = target.substr(authority, end == std::string_view::npos ? target.npos : end - authority);
  const auto at = host_part.rfind('@');
  if (at == std::string_view::npos) return std::string(target);
  return std::string(target.substr(0, authority)) + std::string(target.substr(authority + at + 1));
}

std::string normalise_repository(std::string_view target) {
  std::string text = without_credentials(trim(target));
  if (const auto scheme = text.find("://"); scheme != std::string::npos) {
    const auto host_end = text.find_first_of("/?#", scheme + 3);
    const std::size_t end = host_end == std::string::npos ? text.size() : host_end;
    text = lower(std::string_view(text).substr(0, end)) + text.substr(end);
  }
  auto strip_slashes = [&] {
    while (text.size() > 1 && text.back() == '/') text.pop_back();
  };
  strip_slashes();
  if (text.size() > 4 && text.ends_with(".git")) {
    text.resize(text.size() - 4);
    strip_slashes();
  }
  return text;
}

RepositoryEntry make_entry(std::string_view target, const std::filesystem::path& base) {
  RepositoryEntry entry;
  entry.remote = is_remote_url(target);
  entry.display = entry.remote ? without_credentials(target) : std::string(target);
  entry.normalised = normalise_repository(target);
  const std::filesystem::path path(target);
  entry.location = entry.remote || path.is_absolute() || base.empty() ? std::string(target) : (base / path).string();
  return entry;
}

std::vector<RepositoryEntry> read_repository_list(const std::filesystem::path& path) {
  const UserFile file = read_user_file(path);
  if (!file.ok()) throw InputError(path.string(), 0, "cannot read the repository list: " + file.error_text());
  const std::filesystem::path base = path.parent_path();
  std::vector<RepositoryEntry> entries;
  std::string_view rest = strip_bom(file.text);
  while (!rest.empty()) {
    const auto newline = rest.find('\n');
    const std::string_view line = trim(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
    if (line.empty() || line.front() == '#') continue;
    entries.push_back(make_entry(line, base));
  }
  return entries;
}

std::vector<std::string> drop_duplicates(std::vector<RepositoryEntry>& entries) {
  std::set<std::string> seen;
  std::vector<std::string> dropped;
  std::vector<RepositoryEntry> kept;
  for (auto& entry : entries) {
    if (seen.insert(entry.normalised).second) kept.push_back(std::move(entry));
    else dropped.push_back(entry.display);
  }
  entries = std::move(kept);
  return dropped;
}

std::uint32_t shard_index(const RepositoryEntry& entry, std::uint32_t count) {
  const std::string hex = sha256_hex(entry.normalised).substr(0, 16);
  std::uint64_t value = 0;
  std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
  return static_cast<std::uint32_t>(value % count);
}

std::vector<RepositoryEntry> entries_of_shard(const std::vector<RepositoryEntry>& entries, ShardSpec shard) {
  std::vector<RepositoryEntry> out;
  for (const auto& entry : entries)
    if (shard_index(entry, shard.count) == shard.index) out.push_back(entry);
  return out;
}

std::string list_digest(const std::vector<RepositoryEntry>& entries) {
  std::vector<std::string> keys;
  for (const auto& entry : entries) keys.push_back(entry.normalised);
  std::sort(keys.begin(), keys.end());
  std::string text;
  for (const auto& key : keys) text += key + "\n";
  return sha256_hex(text);
}

}  // namespace sentryscan
