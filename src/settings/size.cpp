// Sizes for --max-file-size and `max_file_size`. Units are binary multiples
// (k = KB = KiB = 1024): a scanner limit is about memory and disk blocks, and
// nobody expects "50MB" to mean a limit 5% smaller than "50MiB".
#include "settings/size.h"

#include <cctype>
#include <limits>
#include <string>

namespace sentryscan {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Power of 1024 for a unit suffix, or -1 when it is not one.
int unit_exponent(std::string_view unit) {
  std::string lower;
  for (const char c : unit) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.empty() || lower == "b") return 0;
  static constexpr std::string_view prefixes = "kmgt";
  const auto p = prefixes.find(lower[0]);
  if (p == std::string_view::npos) return -1;
  const std::string_view rest = std::string_view(lower).substr(1);
  if (rest.empty() || rest == "b" || rest == "ib") return static_cast<int>(p) + 1;
  return -1;
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  text = trim(text);
  std::size_t i = 0;
  std::uint64_t number = 0;
  constexpr auto max = std::numeric_limits<std::uint64_t>::max();
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    const auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (number > (max - digit) / 10) return std::nullopt;
    number = number * 10 + digit;
  }
  if (i == 0) return std::nullopt;
  const int exponent = unit_exponent(trim(text.substr(i)));
  if (exponent < 0) return std::nullopt;
  for (int e = 0; e < exponent; ++e) {
    if (number > max / 1024) return std::nullopt;
    number *= 1024;
  }
  // A limit of zero bytes would skip every file and scan nothing: refuse it
  // rather than let a gate pass on an empty scan.
  if (number == 0) return std::nullopt;
  return number;
}

}  // namespace sentryscan
