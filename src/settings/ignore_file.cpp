// .sentryscanignore (SPEC 2, Suppression). Error messages describe what is
// wrong with a line but never quote it: people paste tokens into this file by
// mistake, and the message ends up in CI logs.
#include "settings/ignore_file.h"

#include <string>

#include "core/user_file.h"
#include "core/input_error.h"
#include "core/fingerprint_syntax.h"
#include "core/hex.h"

namespace sentryscan {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A `#` starts a comment at the beginning of a line or after whitespace, so a
// glob can still contain `#` (`path:issue#12/**`).
std::string_view strip_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || is_space(line[i - 1]))) return line.substr(0, i);
  return line;
}

// Why a line starting with "sentryscan:" is not a valid fingerprint.
std::string fingerprint_problem(std::string_view entry) {
  if (!entry.starts_with(kFingerprintPrefix))
    return "unsupported fingerprint version; expected 'sentryscan:v1:' followed by 32 lowercase hex digits";
  const std::string_view hex = entry.substr(kFingerprintPrefix.size());
  for (const char c : hex) {
    if (hex_value(c) < 0) return "fingerprint contains a character that is not a hex digit";
    if (c >= 'A' && c <= 'F') return "fingerprint hex digits must be lowercase, as sentryscan reports them";
  }
  return "fingerprint has " + std::to_string(hex.size()) + " hex digits after 'sentryscan:v1:', expected " +
         std::to_string(kFingerprintHexDigits);
}

bool looks_like_credential(std::string_view entry) {
  return entry.starts_with("sntry") || entry.find("://") != std::string_view::npos ||
         entry.find("sentry_key=") != std::string_view::npos;
}

}  // namespace

IgnoreFile parse_ignore_file(std::string_view text, std::string_view origin) {
  IgnoreFile result;
  text = strip_bom(text);
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);

    const std::string_view entry = trim(strip_comment(line));
    if (entry.empty()) continue;
    auto fail = [&](const std::string& message) { throw InputError(std::string(origin), line_number, message); };

    if (entry.starts_with("path:")) {
      const std::string_view glob = trim(entry.substr(5));
      if (glob.empty()) fail("empty glob after 'path:'");
      result.path_globs.emplace_back(glob);
    } else if (is_fingerprint(entry)) {
      result.fingerprints.emplace(entry);
    } else if (entry.starts_with("sentryscan:")) {
      fail(fingerprint_problem(entry));
    } else if (looks_like_credential(entry)) {
      fail("this looks like a credential, not a fingerprint: list the finding's fingerprint "
           "(sentryscan:v1:...) from the report instead, and rotate the credential");
    } else {
      fail("expected a fingerprint (sentryscan:v1:<32 hex digits>), 'path:GLOB' or a '#' comment");
    }
  }
  return result;
}

IgnoreFile load_ignore_file(const std::filesystem::path& path) {
  const UserFile file = read_user_file(path);
  if (file.missing()) return {};
  if (!file.ok()) throw InputError(path.string(), 0, "cannot read ignore file: " + file.error_text());
  return parse_ignore_file(file.text, path.string());
}

}  // namespace sentryscan
