#include "match/checks.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <ctime>
#include <string>
#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "core/base64.h"
#include "core/hex.h"

namespace sentryscan {
namespace {

// ASCII only and inline: std::tolower is a libc call per byte, and context
// checks look at kilobytes around every candidate.
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals_at(std::string_view text, std::size_t pos, std::string_view needle) {
  if (pos + needle.size() > text.size()) return false;
  for (std::size_t i = 0; i < needle.size(); ++i)
    if (ascii_lower(text[pos + i]) != needle[i]) return false;
  return true;
}

// Case-insensitive search for a lowercase needle.
bool icontains(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (ascii_lower(text[i]) == needle[0] && iequals_at(text, i, needle)) return true;
  }
  return false;
}

std::string_view around(std::string_view text, std::size_t begin, std::size_t end, std::size_t before,
                        std::size_t after) {
  const std::size_t from = begin > before ? begin - before : 0;
  const std::size_t to = std::min(text.size(), end + after);
  return text.substr(from, to - from);
}

std::string iso8601(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 253402300799.0) return {};
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", tm);
}

bool truthy(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>() != 0.0;
  if (value.is_string()) return !value.get<std::string>().empty();
  if (value.is_boolean()) return value.get<bool>();
  return !value.is_null() && !value.empty();
}

std::string string_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::string unescape_dsn(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '/') continue;  // JSON "\/"
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace

std::optional<TokenInfo> decode_org_token(std::string_view token) {
  constexpr std::string_view kPrefix = "sntrys_";
  if (!token.starts_with(kPrefix) || std::count(token.begin(), token.end(), '_') != 2) return std::nullopt;
  const std::string_view rest = token.substr(kPrefix.size());
  const std::size_t split = rest.find('_');
  const std::string_view payload = rest.substr(0, split), secret = rest.substr(split + 1);
  if (secret.size() != 43 || !base64_decode(secret, false)) return std::nullopt;
  if (std::string_view("AEIMQUYcgkosw048").find(secret.back()) == std::string_view::npos) return std::nullopt;
  const auto json_text = base64_decode(payload, true);
  if (!json_text) return std::nullopt;
  const auto json = nlohmann::json::parse(*json_text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  const auto iat = json.find("iat");
  if (iat == json.end() || !truthy(*iat)) return std::nullopt;
  TokenInfo info;
  info.org = string_field(json, "org");
  info.region_url = string_field(json, "region_url");
  if (const auto url = json.find("url"); url != json.end() && url->is_string()) info.url = url->get<std::string>();
  if (iat->is_number()) info.issued_at = iso8601(iat->get<double>());
  return info;
}

std::optional<DsnInfo> parse_dsn(std::string_view text) {
  static const RE2 kDsn(
      R"(^(https?)://([0-9a-fA-F]{32})(?::([0-9a-fA-F]{32})?)?@([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?((?:/[A-Za-z0-9._~-]+)*)/([0-9]+)$)");
  static const RE2 kRegional(R"(^o([0-9]+)\.ingest\.(us|de)\.sentry\.io$)");
  static const RE2 kLegacyIngest(R"(^o([0-9]+)\.ingest\.sentry\.io$)");
  const std::string plain = unescape_dsn(text);
  std::string scheme, secret, port;
  DsnInfo info;
  if (!RE2::FullMatch(plain, kDsn, &scheme, &info.public_key, &secret, &info.host, &port, &info.path_prefix,
                      &info.project_id))
    return std::nullopt;
  info.port = port;
  info.has_secret = !secret.empty();
  std::transform(info.host.begin(), info.host.end(), info.host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Documentation placeholders and obviously fake keys are not findings.
  if (is_placeholder(info.public_key) || (info.has_secret && is_placeholder(secret))) return std::nullopt;
  if (info.project_id.find_first_not_of('0') == std::string::npos) return std::nullopt;
  const std::string_view host = info.host;
  if (host == "example.com" || host.ends_with(".example.com") || host.ends_with(".example.org") ||
      host == "example.org" || host.ends_with(".example"))
    return std::nullopt;
  if (RE2::FullMatch(info.host, kRegional, &info.org_id, &info.region) ||
      RE2::FullMatch(info.host, kLegacyIngest, &info.org_id) || info.host == "sentry.io") {
    info.saas = true;
  }
  return info;
}

bool is_placeholder(std::string_view value) {
  if (value.empty()) return true;
  for (std::size_t period = 1; period <= 16 && period * 2 <= value.size(); ++period) {
    bool periodic = true;
    for (std::size_t i = period; i < value.size() && periodic; ++i) periodic = value[i] == value[i - period];
    if (periodic) return true;
  }
  return false;
}

bool is_lockfile_path(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  static constexpr std::array<std::string_view, 12> kLockfiles{
      "poetry.lock", "Pipfile.lock",  "package-lock.json", "yarn.lock",         "Cargo.lock",   "go.sum",
      "pnpm-lock.yaml", "composer.lock", "Gemfile.lock",   "npm-shrinkwrap.json", "bun.lock", "flake.lock"};
  if (std::find(kLockfiles.begin(), kLockfiles.end(), name) != kLockfiles.end()) return true;
  return name.starts_with("requirements") && name.ends_with(".txt");
}

bool is_checksum_path(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  std::transform(name.begin(), name.end(), name.begin(), ascii_lower);
  std::string_view stem = name;
  if (stem.ends_with(".txt") || stem.ends_with(".asc")) stem.remove_suffix(4);
  // SHA256SUMS, sha512sums, CHECKSUMS, B2SUMS; sentry-cli-Linux-x86_64.sha256.
  if (stem.ends_with("sums")) return true;
  static constexpr std::array<std::string_view, 8> kExtensions{".sha1",      ".sha256",    ".sha384", ".sha512",
                                                               ".sha256sum", ".sha512sum", ".md5",    ".checksum"};
  return std::any_of(kExtensions.begin(), kExtensions.end(), [&](std::string_view e) { return stem.ends_with(e); });
}

bool in_digest_listing(std::string_view text, std::size_t begin) {
  const std::string_view before = around(text, begin, begin, 2048, 0);
  for (std::string_view word : {"checksum", "sha1", "sha256", "sha384", "sha512", "integrity", "digest", "hash", "md5"})
    if (icontains(before, word)) return true;
  return false;
}

bool names_sentry_nearby(std::string_view text, std::size_t begin, std::size_t end, std::string_view path) {
  return icontains(path, "sentry") || icontains(around(text, begin, end, 2048, 512), "sentry");
}

bool sentry_api_url_nearby(std::string_view text, std::size_t begin, std::size_t end) {
  const std::string_view window = around(text, begin, end, 1024, 1024);
  return icontains(window, "sentry.io") || (icontains(window, "sentry") && icontains(window, "/api/0/"));
}

bool in_sentry_ini_auth_section(std::string_view text, std::size_t begin, std::string_view path) {
  std::size_t line_start = text.rfind('\n', begin == 0 ? 0 : begin - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  // The key must start its line (after indentation): "token=" inside a longer line is not INI.
  for (std::size_t i = line_start; i < begin; ++i) {
    if (text[i] == ' ' || text[i] == '\t') continue;
    if (!std::isalpha(static_cast<unsigned char>(text[i])) && text[i] != '_') return false;
    break;
  }
  // Walk back line by line to the nearest section header, but only so far:
  // every candidate walks, so an unbounded walk is quadratic in a file of a
  // million `token=` lines. A real [auth] section is a few lines long.
  constexpr std::size_t kMaxSectionBytes = 4096;
  const std::size_t floor = line_start > kMaxSectionBytes ? line_start - kMaxSectionBytes : 0;
  std::size_t header = std::string_view::npos;
  for (std::size_t end = line_start; end > floor;) {
    const std::size_t newline = end - 1;
    const std::size_t previous = newline == 0 ? std::string_view::npos : text.rfind('\n', newline - 1);
    const std::size_t start = previous == std::string_view::npos ? 0 : previous + 1;
    std::string_view line = text.substr(start, newline - start);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.starts_with('[')) {
      if (iequals_at(line, 0, "[auth]")) header = start;
      break;
    }
    end = start;
  }
  if (header == std::string_view::npos) return false;
  // Named in the path (.sentryclirc), or in the text just before the section
  // (a heredoc writing ~/.sentryclirc, a [defaults] url) or just after the key.
  // Bounded windows keep the check linear however many keys a file holds.
  return icontains(path, "sentry") || icontains(around(text, header, header, 2048, 0), "sentry") ||
         icontains(around(text, begin, begin, 0, 2048), "sentry");
}

bool sentry_key_in_carrier(std::string_view text, std::size_t begin) {
  // begin points at the key value; "sentry_key=" is just before it.
  constexpr std::string_view kParam = "sentry_key=";
  if (begin < kParam.size()) return false;
  const std::size_t param = begin - kParam.size();
  if (param > 0 && (text[param - 1] == '?' || text[param - 1] == '&')) return true;
  // At most 1 KiB back: searching a whole minified line for its start, once
  // per candidate, is quadratic in the line's length.
  const std::size_t floor = param > 1024 ? param - 1024 : 0;
  std::size_t line_start = floor;
  for (std::size_t i = param; i > floor; --i) {
    if (text[i - 1] == '\n') {
      line_start = i;
      break;
    }
  }
  const std::string_view line = text.substr(line_start, param - line_start);
  return icontains(line, "x-sentry-auth") || icontains(line, "sentry sentry_") || icontains(line, "sentry_version");
}

}  // namespace sentryscan
