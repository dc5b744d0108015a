#include "decode/joined_literals.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "decode/survey.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SENTRYSCAN_JOIN_X86 1
#endif

namespace sentryscan::decode {
namespace {

// Bytes that may follow the closing quote of a part: blanks, line breaks,
// `+`, `\` (a continuation), `/` and `#` (a comment).
bool may_follow_part(unsigned char c) {
  return c <= 0x20 || c == '+' || c == '\\' || c == '/' || c == '#';
}

bool is_quote_byte(unsigned char c) { return c == '"' || c == '\'' || c == '`'; }

std::size_t next_part(std::string_view text, std::size_t close, std::size_t end);

// A join may start at text[i]: a `\` before a line break, or a quote that
// another part of the same quote follows (lexing later says whether it
// closes a literal).
bool join_at(std::string_view text, std::size_t i, std::size_t end) {
  return text[i] == '\\' || next_part(text, i, end) != 0;
}

// Whether text[begin, end) can hold a join at all. Most windows around a
// keyword (`Sentry.init({...})`, `os.environ["SENTRY_DSN"]`, a minified
// bundle's `"Bearer "+a`) hold none and are not lexed.
bool may_join_scalar(std::string_view text, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i + 1 < end; ++i) {
    const auto c = static_cast<unsigned char>(text[i]), next = static_cast<unsigned char>(text[i + 1]);
    const bool candidate = (is_quote_byte(c) && may_follow_part(next)) || (c == '\\' && (next == '\n' || next == '\r'));
    if (candidate && join_at(text, i, end)) return true;
  }
  return false;
}

#ifdef SENTRYSCAN_JOIN_X86
__attribute__((target("avx2"))) inline __m256i is(__m256i v, char c) { return _mm256_cmpeq_epi8(v, _mm256_set1_epi8(c)); }

// Only the 32-byte pieces holding a quote or a backslash (a third of
// sentry-python's) have their followers looked at; the last piece of a
// window is read on from the text (masked to the window), so the byte loop
// runs only at the end of the text. (may_join was 0.34 G of the 3.69 G
// instructions of a scan of the release tree.)
__attribute__((target("avx2"))) bool may_join_avx2(std::string_view text, std::size_t begin, std::size_t end) {
  std::size_t i = begin;
  // A candidate at byte p needs its follower p + 1 inside the window; the
  // piece's follower byte i + 32 must be inside the text.
  for (; i + 1 < end && i + 33 <= text.size(); i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text.data() + i));
    const __m256i quote = _mm256_or_si256(is(v, '"'), _mm256_or_si256(is(v, '\''), is(v, '`')));
    const __m256i backslash = is(v, '\\');
    const __m256i lead = _mm256_or_si256(quote, backslash);
    if (_mm256_testz_si256(lead, lead)) continue;
    const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text.data() + i + 1));
    const __m256i low = _mm256_cmpeq_epi8(_mm256_min_epu8(next, _mm256_set1_epi8(0x20)), next);  // <= 0x20
    const __m256i follows = _mm256_or_si256(_mm256_or_si256(low, is(next, '+')),
                                            _mm256_or_si256(is(next, '\\'), _mm256_or_si256(is(next, '/'), is(next, '#'))));
    const __m256i line_break = _mm256_or_si256(is(next, '\n'), is(next, '\r'));
    const __m256i hit = _mm256_or_si256(_mm256_and_si256(quote, follows), _mm256_and_si256(backslash, line_break));
    auto bits = static_cast<std::uint32_t>(_mm256_movemask_epi8(hit));
    if (end - i < 33) bits &= (std::uint32_t{1} << (end - 1 - i)) - 1;  // past the window
    for (; bits; bits &= bits - 1)
      if (join_at(text, i + static_cast<std::size_t>(std::countr_zero(bits)), end)) return true;
  }
  return may_join_scalar(text, i, end);
}
#endif

bool may_join(std::string_view text, std::size_t begin, std::size_t end) {
#ifdef SENTRYSCAN_JOIN_X86
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  if (has_avx2) return may_join_avx2(text, begin, end);
#endif
  return may_join_scalar(text, begin, end);
}

constexpr std::size_t kMaxWindow = 4096;
constexpr std::size_t kLineRest = 2048;

bool is_quote(char c) { return c == '"' || c == '\'' || c == '`'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Bytes of a line break at text[at] (`\n` or `\r\n`), or 0.
std::size_t line_break(std::string_view text, std::size_t at, std::size_t end) {
  if (at < end && text[at] == '\n') return 1;
  if (at + 1 < end && text[at] == '\r' && text[at + 1] == '\n') return 2;
  return 0;
}

// The end of a continuation `\` + line break + indentation at text[at], or 0.
std::size_t continuation_end(std::string_view text, std::size_t at, std::size_t end) {
  if (text[at] != '\\') return 0;
  const std::size_t br = line_break(text, at + 1, end);
  if (br == 0) return 0;
  std::size_t i = at + 1 + br;
  while (i < end && is_blank(text[i])) ++i;
  return i;
}

// A string prefix before an opening quote: Python r b f u rb br fr rf (any
// case), C and C++ L u U u8.
std::size_t prefix_length(std::string_view text, std::size_t at, std::size_t end) {
  // A switch, not strchr: next_part runs for every quote followed by a blank in a window.
  auto prefix_char = [](char c) {
    switch (c) {
      case 'r': case 'R': case 'b': case 'B': case 'f': case 'F': case 'u': case 'U': case 'L': case '8': return true;
      default: return false;
    }
  };
  std::size_t n = 0;
  while (n < 2 && at + n < end && prefix_char(text[at + n])) ++n;
  return n;
}

// The end of a comment at text[at] (`// ...`, `# ...` to the line break,
// `/* ... */`), or 0. Comments may sit between the parts (Python, JS, C), and
// carry the `sentryscan:allow` of a line of the span.
std::size_t comment_end(std::string_view text, std::size_t at, std::size_t end) {
  const bool hash = text[at] == '#';
  if (!hash && !(text[at] == '/' && at + 1 < end && (text[at + 1] == '/' || text[at + 1] == '*'))) return 0;
  if (!hash && text[at + 1] == '*') {
    const std::size_t close = text.substr(0, end).find("*/", at + 2);
    return close == std::string_view::npos ? 0 : close + 2;
  }
  const void* nl = std::memchr(text.data() + at, '\n', end - at);
  return nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : 0;
}

// After the closing quote at text[close]: blanks, line breaks, comments, `\`
// continuations, at most one `+`, a string prefix, then the same quote. The
// position of that opening quote, or 0.
std::size_t next_part(std::string_view text, std::size_t close, std::size_t end) {
  const char quote = text[close];
  std::size_t i = close + 1;
  bool plus = false;
  while (i < end) {
    const char c = text[i];
    if (is_blank(c) || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '\\') {
      const std::size_t after = continuation_end(text, i, end);
      if (after == 0) return 0;
      i = after;
    } else if (c == '+' && !plus) {
      plus = true;
      ++i;
    } else if (const std::size_t after = comment_end(text, i, end)) {
      i = after;
    } else {
      break;
    }
  }
  // Nothing between `"a""b"` is C too, but `""` is mostly an empty string.
  if (i == close + 1) return 0;
  const std::size_t prefix = prefix_length(text, i, end);
  for (std::size_t p = 0; p <= prefix; ++p)
    if (i + p < end && text[i + p] == quote && (p == 0 || !is_quote(text[i]))) return i + p;
  return 0;
}

// Bytes the lexer below stops at: line breaks, backslashes, quotes and
// control bytes other than tab and carriage return.
constexpr auto kLexed = [] {
  std::array<bool, 256> lexed{};
  for (unsigned char c : std::string_view("\n\\\"'`")) lexed[c] = true;
  for (unsigned c = 0; c < 0x20; ++c) lexed[c] = c != '\t' && c != '\r';
  lexed[0x7F] = true;
  return lexed;
}();

std::size_t next_lexed_scalar(std::string_view text, std::size_t i, std::size_t end) {
  while (i < end && !kLexed[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

#ifdef SENTRYSCAN_JOIN_X86
// 32 bytes at a time: the byte loop was most of join_literals' own 108 M
// instructions in a scan of the release tree (windows with a join are
// lexed whole, and in sentry-python most of the text is in some window).
__attribute__((target("avx2"))) std::size_t next_lexed_avx2(std::string_view text, std::size_t i, std::size_t end) {
  for (; i + 32 <= end; i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text.data() + i));
    const __m256i control = _mm256_andnot_si256(_mm256_or_si256(is(v, '\t'), is(v, '\r')),
                                                _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1F)), v));
    const __m256i marks = _mm256_or_si256(_mm256_or_si256(is(v, '\\'), is(v, '"')),
                                          _mm256_or_si256(_mm256_or_si256(is(v, '\''), is(v, '`')), is(v, 0x7F)));
    const auto bits = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(control, marks)));
    if (bits) return i + static_cast<std::size_t>(std::countr_zero(bits));
  }
  return next_lexed_scalar(text, i, end);
}
#endif

// The first byte at or after `i` (before `end`) that the lexer stops at, else `end`.
std::size_t next_lexed(std::string_view text, std::size_t i, std::size_t end) {
#ifdef SENTRYSCAN_JOIN_X86
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  if (has_avx2) return next_lexed_avx2(text, i, end);
#endif
  return next_lexed_scalar(text, i, end);
}

// The joins in text[begin, end): a small lexer that knows which quote is
// open. Literals end at a line break unless continued, except backtick ones
// (JS template literals and Go raw strings span lines), and at any control byte.
std::vector<Span> find_joins(std::string_view text, std::size_t begin, std::size_t end) {
  std::vector<Span> joins;
  char open = 0;
  for (std::size_t i = begin; i < end;) {
    i = next_lexed(text, i, end);  // most bytes
    if (i == end) break;
    const char c = text[i];
    if (c == '\n') {
      if (open != '`') open = 0;
      ++i;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      open = 0;  // binary bytes (text after a compressed stream): no literal holds them
      ++i;
    } else if (c == '\\') {
      if (!open) {
        ++i;
      } else if (const std::size_t after = continuation_end(text, i, end)) {
        joins.push_back({i, after});
        i = after;
      } else {
        i += 2;  // an escape: `\"` does not close
      }
    } else if (!is_quote(c)) {
      ++i;
    } else if (!open) {
      open = c;
      ++i;
    } else if (c != open) {
      // Another kind of quote inside a literal: code held in a string (a
      // JSON value, a test's fixture) has its own literals and joins.
      if (const std::size_t next = next_part(text, i, end)) {
        joins.push_back({i, next + 1});
        i = next + 1;
      } else {
        ++i;
      }
    } else if (const std::size_t next = next_part(text, i, end)) {
      joins.push_back({i, next + 1});
      i = next + 1;
    } else {
      open = 0;
      ++i;
    }
  }
  return joins;
}

// Windows around keywords merge while they overlap, up to kMaxWindow: a
// file naming Sentry every few hundred bytes (a minified bundle) is lexed,
// and rescanned where joined, a small window at a time.
std::vector<Span> windows_around(const std::vector<std::size_t>& keywords, std::string_view text) {
  std::vector<Span> windows;
  for (std::size_t k : keywords) {
    std::size_t end = std::min(text.size(), k + kJoinAfter);
    // The line the window would end in is lexed to its end: an escaped org
    // token (`\x73\x6e…`, four bytes a character: ~1 KB) split after its
    // name has its join further on the same line. Not past kLineRest (a
    // minified bundle is one long line).
    const std::size_t rest = std::min(text.size() - end, kLineRest);
    if (const void* nl = std::memchr(text.data() + end, '\n', rest))
      end = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data());
    const std::size_t before = k > kJoinBefore ? k - kJoinBefore : 0;
    // The window starts at or before `before`: when that is inside the last
    // window (and the two fit in one), it merges whatever its line start,
    // which is not looked for (most keywords of sentry-python).
    if (!windows.empty() && before <= windows.back().end && end - windows.back().begin <= kMaxWindow) {
      windows.back().end = std::max(windows.back().end, end);
      continue;
    }
    // Lex from a line start, so the first quote seen opens a literal: the
    // last line break in the kJoinBefore bytes before `before`, else that far
    // back. memrchr, not a byte loop: the loop was 145 M of the 4.04 G
    // instructions of a scan of the release tree (sentry-python names Sentry
    // on most lines, so most of its text is in some window).
    std::size_t begin = before;
    const std::size_t back = std::min(begin, kJoinBefore);
    if (const void* nl = memrchr(text.data() + begin - back, '\n', back))
      begin = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
    else
      begin -= back;
    if (!windows.empty() && begin <= windows.back().end && end - windows.back().begin <= kMaxWindow)
      windows.back().end = std::max(windows.back().end, end);
    else
      windows.push_back({begin, end});
  }
  return windows;
}

}  // namespace

void join_literals(std::string_view text, const std::vector<std::size_t>& keywords, const WindowSink& on_window) {
  for (const Span window : windows_around(keywords, text)) {
    if (!may_join(text, window.begin, window.end)) continue;
    const std::vector<Span> joins = find_joins(text, window.begin, window.end);
    if (joins.empty()) continue;
    std::string joined;
    joined.reserve(window.end - window.begin);
    std::vector<DecodedText::Unit> units;
    std::size_t at = window.begin;
    for (const Span join : joins) {
      joined.append(text.data() + at, join.begin - at);
      // A continuation then a closing quote (`...\` + newline + `" + "`) is one cut.
      if (!units.empty() && units.back().parent + units.back().parent_length == join.begin)
        units.back().parent_length += join.end - join.begin;
      else
        units.push_back({joined.size(), join.begin, 0, join.end - join.begin});
      at = join.end;
    }
    joined.append(text.data() + at, window.end - at);
    on_window(DecodedText::from_escapes(Encoding::joined, window, std::move(joined), std::move(units)));
  }
}

std::vector<DecodedText> join_literals(std::string_view text) {
  std::vector<DecodedText> out;
  join_literals(text, survey_text(text, kMinBase64Run).keywords,
                [&out](const DecodedText& window) { out.push_back(window); });
  return out;
}

}  // namespace sentryscan::decode
