#include <array>
#include <cstddef>
#include <string_view>

#include "core/hex.h"
#include "match/matcher.h"

namespace sentryscan {
namespace {

// The bytes of a character class `[...]` starting at regex[open], or an
// empty set when it is negated or holds escapes (not needed by our rules; a
// class not understood only costs the optimisation). `close` is set to its `]`.
std::array<bool, 256> class_bytes(std::string_view regex, std::size_t open, std::size_t& close) {
  std::array<bool, 256> set{};
  std::size_t i = open + 1;
  const bool plain = i < regex.size() && regex[i] != '^';
  for (; i < regex.size() && regex[i] != ']'; ++i) {
    if (regex[i] == '\\') {
      ++i;
      continue;
    }
  }
  close = i;
  if (!plain || i >= regex.size()) return {};
  const std::string_view body = regex.substr(open + 1, close - open - 1);
  if (body.find('\\') != std::string_view::npos) return {};
  for (std::size_t k = 0; k < body.size(); ++k) {
    if (k + 2 < body.size() && body[k + 1] == '-') {
      for (int c = static_cast<unsigned char>(body[k]); c <= static_cast<unsigned char>(body[k + 2]); ++c) set[static_cast<std::size_t>(c)] = true;
      k += 2;
    } else {
      set[static_cast<unsigned char>(body[k])] = true;
    }
  }
  return set;
}

bool only_hex(const std::array<bool, 256>& set) {
  bool any = false;
  for (std::size_t c = 0; c < set.size(); ++c) {
    if (!set[c]) continue;
    if (hex_value(static_cast<char>(c)) < 0) return false;
    any = true;
  }
  return any;
}

}  // namespace

// Only a class of hex digits with an exact count `{N}` outside every group
// counts, and nothing when the regex has an alternation outside groups: then
// the class is a part of every match. (Case-insensitive flags keep a hex
// class hex.) Anything else is "no requirement", which is always safe.
std::size_t required_hex_run(std::string_view regex) {
  std::size_t required = 0;
  int depth = 0;
  for (std::size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\') {
      ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return 0;
    } else if (c == '[') {
      std::size_t close = 0;
      const std::array<bool, 256> set = class_bytes(regex, i, close);
      if (close >= regex.size()) return 0;
      if (depth == 0 && only_hex(set) && close + 1 < regex.size() && regex[close + 1] == '{') {
        std::size_t count = 0, k = close + 2;
        while (k < regex.size() && regex[k] >= '0' && regex[k] <= '9' && count < 100000)
          count = count * 10 + static_cast<std::size_t>(regex[k++] - '0');
        if (k < regex.size() && regex[k] == '}' && count > required) required = count;
      }
      i = close;
    }
  }
  return depth == 0 ? required : 0;
}

}  // namespace sentryscan
