#include "decode/decoders.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#endif

#include "core/hex.h"
#include "decode/archive.h"
#include "decode/survey.h"
#include "decode/transcode.h"

namespace sentryscan::decode {
namespace {

// Character classes of the two base64 alphabets.
constexpr unsigned char kBoth = 1, kStandardOnly = 2, kUrlOnly = 4;

constexpr std::array<unsigned char, 256> make_classes() {
  std::array<unsigned char, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = kBoth;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = kBoth;
  for (int c = '0'; c <= '9'; ++c) table[c] = kBoth;
  table['+'] = table['/'] = kStandardOnly;
  table['-'] = table['_'] = kUrlOnly;
  return table;
}
constexpr auto kClasses = make_classes();

constexpr std::array<signed char, 256> make_values(bool url) {
  std::array<signed char, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 26; ++i) table['A' + i] = static_cast<signed char>(i), table['a' + i] = static_cast<signed char>(26 + i);
  for (int i = 0; i < 10; ++i) table['0' + i] = static_cast<signed char>(52 + i);
  table[url ? '-' : '+'] = 62;
  table[url ? '_' : '/'] = 63;
  return table;
}
constexpr auto kStandardValues = make_values(false);
constexpr auto kUrlValues = make_values(true);

unsigned char char_class(char c) { return kClasses[static_cast<unsigned char>(c)]; }

// The length of the text character at bytes[i] (printable ASCII, tab, CR,
// LF, or a well-formed UTF-8 sequence); 0 when it is not one. With
// `may_be_cut`, a sequence running past the end counts as well formed.
std::size_t text_char_length(std::string_view bytes, std::size_t i, bool may_be_cut) {
  const auto c = static_cast<unsigned char>(bytes[i]);
  if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t') return 1;
  std::size_t length = 0;
  if (c >= 0xC2 && c <= 0xDF) length = 2;
  else if (c >= 0xE0 && c <= 0xEF) length = 3;
  else if (c >= 0xF0 && c <= 0xF4) length = 4;
  if (length == 0 || (!may_be_cut && i + length > bytes.size())) return 0;
  for (std::size_t k = 1; k < length && i + k < bytes.size(); ++k)
    if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) return 0;
  return length;
}

// Text decoded from escapes around a trigger stays within this distance of
// it: longer than any credential, so a credential holding an escape is whole.
constexpr std::size_t kWindowMargin = 1024;


// Hex digits at text[at, at+count), or -1.
long hex_at(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  long value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const int digit = hex_value(text[at + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

// Windows of kWindowMargin around each trigger, merged when they touch,
// then cut into pieces of at most kMaxWindow that overlap by two margins, so
// that a file full of escapes is decoded a piece at a time and every
// credential is whole in at least one piece.
constexpr std::size_t kMaxWindow = 1u << 20;

std::vector<Span> windows_around(const std::vector<std::size_t>& triggers, std::size_t size) {
  std::vector<Span> merged;
  for (std::size_t t : triggers) {
    const std::size_t begin = t > kWindowMargin ? t - kWindowMargin : 0;
    const std::size_t end = std::min(size, t + kWindowMargin);
    if (!merged.empty() && begin <= merged.back().end) merged.back().end = std::max(merged.back().end, end);
    else merged.push_back({begin, end});
  }
  std::vector<Span> pieces;
  for (const Span window : merged) {
    for (std::size_t begin = window.begin;; begin += kMaxWindow - 2 * kWindowMargin) {
      const std::size_t end = std::min(window.end, begin + kMaxWindow);
      pieces.push_back({begin, end});
      if (end == window.end) break;
    }
  }
  return pieces;
}

// One escape at text[i] undone: appends its bytes and returns the escape's
// length in the parent, or 0 when text[i] does not start an escape.

std::size_t decode_percent_at(std::string_view text, std::size_t i, std::size_t end, std::string& out) {
  if (text[i] != '%' || i + 3 > end) return 0;
  const long value = hex_at(text, i + 1, 2);
  if (value < 0) return 0;
  out.push_back(static_cast<char>(value));
  return 3;
}

std::size_t decode_escape_at(std::string_view text, std::size_t i, std::size_t end, std::string& out) {
  if (text[i] != '\\' || i + 2 > end) return 0;
  const char next = text[i + 1];
  if (next == '/' || next == '\\' || next == '"' || next == '\'') {
    out.push_back(next);
    return 2;
  }
  const std::string_view window = text.substr(0, end);
  if (next == 'x') {
    const long value = hex_at(window, i + 2, 2);
    if (value < 0) return 0;
    append_utf8(out, static_cast<char32_t>(value));
    return 4;
  }
  if (next != 'u') return 0;
  if (i + 2 < end && text[i + 2] == '{') {
    const std::size_t close = window.find('}', i + 3);
    if (close == std::string_view::npos || close == i + 3 || close > i + 9) return 0;
    const long value = hex_at(window, i + 3, close - i - 3);
    if (value < 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
    append_utf8(out, static_cast<char32_t>(value));
    return close + 1 - i;
  }
  const long unit = hex_at(window, i + 2, 4);
  if (unit < 0) return 0;
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    // A surrogate pair spells one code point; an unpaired half stays as written.
    if (i + 12 > end || text[i + 6] != '\\' || text[i + 7] != 'u') return 0;
    const long low = hex_at(window, i + 8, 4);
    if (low < 0xDC00 || low > 0xDFFF) return 0;
    append_utf8(out, static_cast<char32_t>(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)));
    return 12;
  }
  if (unit >= 0xDC00 && unit <= 0xDFFF) return 0;
  append_utf8(out, static_cast<char32_t>(unit));
  return 6;
}

// `Decoder` undoes one escape starting with `lead` (see decode_percent_at).
template <char lead, std::size_t (*Decoder)(std::string_view, std::size_t, std::size_t, std::string&)>
void undo_in_windows(std::string_view text, const std::vector<std::size_t>& triggers, Encoding encoding,
                     const WindowSink& on_window) {
  for (const Span window : windows_around(triggers, text.size())) {
    std::string decoded;
    decoded.reserve(window.end - window.begin);
    std::vector<DecodedText::Unit> units;
    for (std::size_t i = window.begin; i < window.end;) {
      // Copy up to the next possible escape in one go.
      const void* found = std::memchr(text.data() + i, lead, window.end - i);
      const std::size_t next = found ? static_cast<std::size_t>(static_cast<const char*>(found) - text.data()) : window.end;
      decoded.append(text.data() + i, next - i);
      i = next;
      if (i == window.end) break;
      const std::size_t before = decoded.size();
      const std::size_t consumed = Decoder(text, i, window.end, decoded);
      if (consumed == 0) {
        decoded.push_back(text[i++]);
        continue;
      }
      units.push_back({before, i, decoded.size() - before, consumed});
      i += consumed;
    }
    if (!units.empty()) on_window(DecodedText::from_escapes(encoding, window, std::move(decoded), std::move(units)));
  }
}

// Characters of a wrapped run's next line, or 0 when the line is not all base64.
struct NextLine {
  std::size_t start = 0, length = 0, padding = 0, line_end = 0;
};

std::size_t line_break_at(std::string_view text, std::size_t at) {
  if (at < text.size() && text[at] == '\n') return 1;
  if (at + 1 < text.size() && text[at] == '\r' && text[at + 1] == '\n') return 2;
  return 0;
}

NextLine next_wrapped_line(std::string_view text, std::size_t after_break) {
  NextLine line;
  std::size_t i = after_break;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  line.start = i;
  while (i < text.size() && (char_class(text[i]) & (kBoth | kStandardOnly))) ++i;
  line.length = i - line.start;
  while (i < text.size() && text[i] == '=' && line.padding < 2) ++i, ++line.padding;
  line.line_end = i;
  if (i < text.size() && !line_break_at(text, i)) line.length = 0;  // more text follows on the line
  return line;
}

// Adds the run text[begin, end) (one alphabet) to `runs`, following line
// wraps for standard runs that end a line. Returns where scanning resumes.
std::size_t add_run(std::string_view text, std::size_t begin, std::size_t end, Encoding encoding,
                    std::vector<Base64Run>& runs) {
  Base64Run run;
  run.encoding = encoding;
  run.segments.push_back({0, begin, end - begin});
  run.characters = end - begin;
  std::size_t stop = end;
  std::size_t padding = 0;
  while (stop < text.size() && text[stop] == '=' && padding < 2) ++stop, ++padding;
  // Line-wrapped base64 (76 or 64 columns): full lines of equal length, the last one shorter.
  std::size_t full_length = 0;
  while (encoding == Encoding::base64 && padding == 0 && run.segments.back().length % 4 == 0) {
    const std::size_t line_break = line_break_at(text, stop);
    if (line_break == 0) break;
    const NextLine line = next_wrapped_line(text, stop + line_break);
    if (line.length == 0 || (full_length != 0 && line.length > full_length)) break;
    run.segments.push_back({run.characters, line.start, line.length});
    run.characters += line.length;
    stop = line.line_end;
    padding = line.padding;
    if (line.length % 4 != 0 || (full_length != 0 && line.length < full_length)) break;
    full_length = line.length;
  }
  run.span = {begin, stop};
  runs.push_back(std::move(run));
  return stop;
}

// Bytes that may start a plain tar (text, then the NULs padding its first
// member's name: no signature before offset 257) or UTF-16 text, with its
// byte order mark (PowerShell -EncodedCommand) or without (its first 8 units
// ASCII, one byte of each zero).
bool tar_or_utf16_start(std::string_view bytes) {
  if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF')))
    return true;
  if (bytes.size() >= 2 && (bytes[0] == '\0' || bytes[1] == '\0') &&
      utf16_ascii_units(bytes.substr(0, std::min<std::size_t>(bytes.size(), 16) & ~std::size_t{1})))
    return true;
  const std::size_t nul = bytes.find('\0');
  if (nul == 0 || nul == std::string_view::npos) return false;
  if (bytes.find_first_not_of('\0', nul) != std::string_view::npos) return false;
  for (std::size_t i = 0; i < nul;) {
    const std::size_t length = text_char_length(bytes.substr(0, nul), i, false);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

// Text, then an archive or stream signature right where the text stops: a
// self-extracting zip's shell stub, or makeself's script before its tar.gz.
// A zip found at the end of the decoded bytes is expanded whatever precedes
// it, but its stub must first get past the look at the start.
bool text_then_signature(std::string_view bytes) {
  std::size_t stop = 0;
  while (stop < bytes.size()) {
    const std::size_t length = text_char_length(bytes, stop, false);
    if (length == 0) break;
    stop += length;
  }
  // The signature's first bytes may be text themselves ("PK", "BZh").
  for (std::size_t at = stop > 3 ? stop - 3 : 0; at <= stop && at < bytes.size(); ++at)
    if (sniff_archive(bytes.substr(at)) != ArchiveKind::none) return true;
  return false;
}

// The first 12 bytes a run decodes to are text (printable ASCII, whitespace,
// UTF-8, a sequence cut at the end allowed) or an archive signature. Random
// bytes pass with odds of about 1e-5, so hashes, keys and images are dropped
// here, before anything is allocated for them.
bool plausible_start(std::string_view text, std::size_t begin, std::size_t length, Encoding encoding) {
  if (length < 16) return true;
  const auto& values = encoding == Encoding::base64url ? kUrlValues : kStandardValues;
  std::array<char, 12> bytes;
  for (std::size_t quad = 0; quad < 4; ++quad) {
    unsigned v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = (v << 6) | static_cast<unsigned>(values[static_cast<unsigned char>(text[begin + quad * 4 + k])]);
    bytes[quad * 3] = static_cast<char>(v >> 16);
    bytes[quad * 3 + 1] = static_cast<char>((v >> 8) & 0xFF);
    bytes[quad * 3 + 2] = static_cast<char>(v & 0xFF);
  }
  const std::string_view prefix(bytes.data(), bytes.size());
  const auto first = static_cast<unsigned char>(prefix[0]);
  const bool may_be_signature = first == 'P' || first == 0x1F || first == 'B' || first == 0xFD || first == 0x28;
  if (may_be_signature && sniff_archive(prefix) != ArchiveKind::none) return true;
  if (tar_or_utf16_start(prefix)) return true;
  for (std::size_t i = 0; i < prefix.size();) {
    // The prefix may end inside a character.
    const std::size_t length = text_char_length(prefix, i, true);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

// Past the leading `AAAA` groups of a run: each decodes to three zero bytes
// (an aligned junk prefix, a length field, padding before the encoded text),
// which would fail the text test on their own. What follows is tested as
// the start of the run, so keys and images (`AAAAB3Nza...` is 00 00 00 07
// "ssh-rsa") still fail it and stay undecoded.
std::size_t skip_zero_groups(std::string_view text, std::size_t begin, std::size_t end) {
  while (end - begin >= 4 && text[begin] == 'A' && text[begin + 1] == 'A' && text[begin + 2] == 'A' &&
         text[begin + 3] == 'A')
    begin += 4;
  return begin;
}

// Bit k set where bytes[k] (k < count <= 64) is `a` or `b`, eight bytes at
// a time (exact per byte: the carries of the zero test stay inside each byte).
std::uint64_t bytes_equal_mask_scalar(const char* bytes, std::size_t count, char a, char b) {
  static_assert(std::endian::native == std::endian::little);
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kLow7 = 0x7F7F7F7F7F7F7F7Full;
  // 0x80 in each byte of x that is zero.
  auto zero_bytes = [](std::uint64_t x) { return ~(((x & kLow7) + kLow7) | x | kLow7); };
  const std::uint64_t spread_a = kOnes * static_cast<unsigned char>(a), spread_b = kOnes * static_cast<unsigned char>(b);
  std::uint64_t mask = 0;
  for (std::size_t at = 0; at < count; at += 8) {
    std::uint64_t word = 0;  // past `count`: zeros, which are neither a nor b
    if (count - at >= 8) std::memcpy(&word, bytes + at, 8);
    else std::memcpy(&word, bytes + at, count - at);
    const std::uint64_t hits = zero_bytes(word ^ spread_a) | zero_bytes(word ^ spread_b);
    // Bit 8k+7 to bit k (the multiply adds each byte's bit into bit 56 + k).
    mask |= (((hits >> 7) * 0x0102040810204080ull) >> 56) << at;
  }
  return mask;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// The same for a whole block of 64 bytes, in two AVX2 compares each half.
__attribute__((target("avx2"))) std::uint64_t bytes_equal_mask_avx2(const char* bytes, char a, char b) {
  const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes));
  const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + 32));
  const __m256i va = _mm256_set1_epi8(a), vb = _mm256_set1_epi8(b);
  const __m256i hit_low = _mm256_or_si256(_mm256_cmpeq_epi8(low, va), _mm256_cmpeq_epi8(low, vb));
  const __m256i hit_high = _mm256_or_si256(_mm256_cmpeq_epi8(high, va), _mm256_cmpeq_epi8(high, vb));
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(hit_low)) |
         (static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(hit_high))) << 32);
}
#endif

// Bit k set where text[at + k] (k < count <= 64) is `a` or `b`. Most runs
// are 56 to 127 bytes long, so a block shorter than 64 is read whole from
// the text when it lies inside it, and masked.
std::uint64_t bytes_equal_mask(std::string_view text, std::size_t at, std::size_t count, char a, char b) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  if (has_avx2 && at + 64 <= text.size()) {
    const std::uint64_t mask = bytes_equal_mask_avx2(text.data() + at, a, b);
    return count >= 64 ? mask : mask & ((std::uint64_t{1} << count) - 1);
  }
#endif
  return bytes_equal_mask_scalar(text.data() + at, count, a, b);
}

// Splits a run of either alphabet into single-alphabet runs worth decoding.
// Returns where scanning resumes (past any line-wrapped continuation).
std::size_t split_run(std::string_view text, const Survey::Run& run, std::size_t min_length,
                      std::vector<Base64Run>& runs) {
  std::size_t resume = run.end;
  auto take = [&](std::size_t begin, std::size_t end, Encoding encoding) {
    begin = skip_zero_groups(text, begin, end);
    if (end - begin < min_length || !plausible_start(text, begin, end - begin, encoding)) return;
    const std::size_t stop = add_run(text, begin, end, encoding, runs);
    if (end == run.end) resume = std::max(resume, stop);
  };
  // Letters and digits only: the usual case (and the only one in hex).
  if (!run.has_plus_slash && !run.has_dash_underscore) {
    take(run.begin, run.end, Encoding::base64);
    return resume;
  }
  // One alphabet's own characters only (an identifier with `_`, a path with
  // `/`): the survey's flags are exact, so the pieces loop below would find
  // no separator and hand over the whole run. Walking it byte by byte to
  // learn that was most of split_run's 0.52 G instructions on the release tree.
  if (!run.has_dash_underscore) {
    take(run.begin, run.end, Encoding::base64);
    return resume;
  }
  if (!run.has_plus_slash) {
    take(run.begin, run.end, Encoding::base64url);
    return resume;
  }
  // Pieces between separators (the other alphabet's own characters), found
  // 64 bytes at a time by bytes_equal_mask: runs holding both kinds (URLs
  // and hashes in lockfiles, most of them; URL paths in code and docs) were
  // walked byte by byte twice, 0.43 G of the 3.9 G instructions of a scan
  // of the release tree.
  auto pieces = [&](const char (&separator)[2], const char (&own)[2], Encoding encoding, bool need_own) {
    std::size_t piece = run.begin;
    bool has_own = false;
    for (std::size_t block = run.begin; block < run.end; block += 64) {
      const std::size_t count = std::min<std::size_t>(64, run.end - block);
      std::uint64_t separators = bytes_equal_mask(text, block, count, separator[0], separator[1]);
      std::uint64_t owned = need_own ? bytes_equal_mask(text, block, count, own[0], own[1]) : 0;
      for (; separators; separators &= separators - 1) {
        const auto bit = static_cast<unsigned>(std::countr_zero(separators));
        const std::uint64_t before = (std::uint64_t{1} << bit) - 1;
        // A piece of letters and digits only is the standard run's business.
        if (!need_own || has_own || (owned & before) != 0) take(piece, block + bit, encoding);
        piece = block + bit + 1;
        has_own = false;
        owned &= ~before;
      }
      has_own |= owned != 0;
    }
    if (!need_own || has_own) take(piece, run.end, encoding);
  };
  pieces({'-', '_'}, {'+', '/'}, Encoding::base64, false);
  pieces({'+', '/'}, {'-', '_'}, Encoding::base64url, true);
  return resume;
}

}  // namespace

std::string_view encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::base64: return "base64";
    case Encoding::base64url: return "base64url";
    case Encoding::percent: return "percent";
    case Encoding::escape: return "escape";
    case Encoding::joined: return "joined";
  }
  return "?";
}

DecodedText DecodedText::from_escapes(Encoding encoding, Span window, std::string text, std::vector<Unit> units) {
  DecodedText out;
  out.encoding_ = encoding;
  out.span_ = window;
  out.text_ = std::move(text);
  out.units_ = std::move(units);
  return out;
}

DecodedText DecodedText::from_base64(Encoding encoding, std::string text, std::vector<Segment> segments,
                                     std::size_t characters) {
  DecodedText out;
  out.encoding_ = encoding;
  out.text_ = std::move(text);
  out.segments_ = std::move(segments);
  out.characters_ = characters;
  if (!out.segments_.empty())
    out.span_ = {out.segments_.front().parent, out.segments_.back().parent + out.segments_.back().length};
  return out;
}

std::size_t DecodedText::parent_of_compact(std::size_t compact) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), compact,
                             [](std::size_t value, const Segment& s) { return value < s.compact; });
  const Segment& segment = *std::prev(it);
  return segment.parent + (compact - segment.compact);
}

Span DecodedText::to_parent(Span decoded) const {
  if (decoded.end <= decoded.begin) decoded.end = decoded.begin + 1;
  if (!segments_.empty()) {
    // Every 3 decoded bytes are 4 characters; a span may share its first and
    // last quantum with its neighbours.
    const std::size_t first = decoded.begin / 3 * 4;
    const std::size_t last = std::min((decoded.end + 2) / 3 * 4, characters_) - 1;
    return {parent_of_compact(first), parent_of_compact(std::max(first, last)) + 1};
  }
  auto unit_before = [&](std::size_t position) -> const Unit* {
    auto it = std::upper_bound(units_.begin(), units_.end(), position,
                               [](std::size_t value, const Unit& u) { return value < u.decoded; });
    return it == units_.begin() ? nullptr : &*std::prev(it);
  };
  auto parent_of = [&](std::size_t position, bool end_of_byte) -> std::size_t {
    const Unit* unit = unit_before(position);
    if (!unit) return span_.begin + position + (end_of_byte ? 1 : 0);
    if (position < unit->decoded + unit->decoded_length)
      return end_of_byte ? unit->parent + unit->parent_length : unit->parent;
    return unit->parent + unit->parent_length + (position - unit->decoded - unit->decoded_length) +
           (end_of_byte ? 1 : 0);
  };
  return {parent_of(decoded.begin, false), parent_of(decoded.end - 1, true)};
}

bool DecodedText::is_verbatim(Span decoded) const {
  if (!segments_.empty()) return false;
  auto it = std::lower_bound(units_.begin(), units_.end(), decoded.begin,
                             [](const Unit& u, std::size_t value) { return u.decoded + u.decoded_length <= value; });
  return it == units_.end() || it->decoded >= decoded.end;
}

void Base64RunFinder::add(const Survey::Run& run) {
  if (run.begin < done_) return;
  done_ = split_run(text_, run, min_length_, runs_);
}

std::vector<Base64Run> find_base64_runs(std::string_view text, const std::vector<Survey::Run>& long_runs,
                                        std::size_t min_length) {
  Base64RunFinder finder(text, min_length);
  for (const Survey::Run& run : long_runs) finder.add(run);
  return std::move(finder.runs());
}

std::vector<Base64Run> find_base64_runs(std::string_view text, std::size_t min_length) {
  min_length = std::clamp<std::size_t>(min_length, 1, 64);
  return find_base64_runs(text, survey_text(text, min_length).long_runs, min_length);
}

bool looks_like_text(std::string_view bytes) {
  const std::size_t allowed = bytes.size() / 20;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t length = text_char_length(bytes, i, false);
    if (length != 0) {
      i += length;
      continue;
    }
    if (++bad > allowed) return false;
    ++i;
  }
  return true;
}

Payload decode_base64_run(std::string_view parent, const Base64Run& run, DecodedText& out) {
  const auto& values = run.encoding == Encoding::base64url ? kUrlValues : kStandardValues;
  std::size_t characters = run.characters;
  if (characters % 4 == 1) --characters;  // a lone trailing character carries no whole byte
  std::string decoded;
  decoded.reserve(characters / 4 * 3 + 2);
  unsigned buffer = 0;
  int bits = 0;
  // A short look at the start rejects most garbage before decoding the rest.
  constexpr std::size_t kPeek = 48;
  bool peeked = false;
  for (const auto& segment : run.segments) {
    const std::size_t length = std::min(segment.length, characters - std::min(characters, segment.compact));
    for (std::size_t i = 0; i < length; ++i) {
      buffer = (buffer << 6) | static_cast<unsigned>(values[static_cast<unsigned char>(parent[segment.parent + i])]);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        decoded.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        if (!peeked && decoded.size() == kPeek) {
          peeked = true;
          if (sniff_archive(decoded) == ArchiveKind::none && !looks_like_text(decoded) &&
              !tar_or_utf16_start(decoded) && !text_then_signature(decoded))
            return Payload::garbage;
        }
      }
    }
  }
  Payload payload = Payload::garbage;
  // An archive at the start, or a zip at the end (text or a stub in front).
  if (holds_archive(decoded)) payload = Payload::packed;
  else if (looks_like_text(decoded)) payload = Payload::text;
  else if (const auto utf8 = utf16_to_utf8(decoded); utf8 && looks_like_text(*utf8)) payload = Payload::utf16;
  else if (const auto bare = utf16_without_bom_to_utf8(decoded); bare && looks_like_text(bare->text)) payload = Payload::utf16;
  // Neither: an archive further in (text, then a tar), searched for by
  // signature only in bytes that hold a NUL (holds_embedded), as in a stream.
  else if (holds_embedded(decoded)) payload = Payload::packed;
  else return Payload::garbage;
  out = DecodedText::from_base64(run.encoding, std::move(decoded), run.segments, characters);
  return payload;
}

void undo_percent_encoding(std::string_view text, const std::vector<std::size_t>& triggers,
                           const WindowSink& on_window) {
  undo_in_windows<'%', decode_percent_at>(text, triggers, Encoding::percent, on_window);
}

void undo_string_escapes(std::string_view text, const std::vector<std::size_t>& triggers, const WindowSink& on_window) {
  undo_in_windows<'\\', decode_escape_at>(text, triggers, Encoding::escape, on_window);
}

std::vector<DecodedText> undo_percent_encoding(std::string_view text) {
  std::vector<DecodedText> out;
  undo_percent_encoding(text, survey_text(text, kMinBase64Run).percents,
                        [&out](const DecodedText& window) { out.push_back(window); });
  return out;
}

std::vector<DecodedText> undo_string_escapes(std::string_view text) {
  std::vector<DecodedText> out;
  undo_string_escapes(text, survey_text(text, kMinBase64Run).backslashes,
                      [&out](const DecodedText& window) { out.push_back(window); });
  return out;
}

}  // namespace sentryscan::decode
