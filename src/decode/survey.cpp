#include "decode/survey.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SENTRYSCAN_SURVEY_X86 1
#endif

namespace sentryscan::decode {
namespace {

// Each 64-byte block becomes bit masks (bit i = byte i); everything after
// that works on the masks with shifts and counts, so ordinary text takes a
// couple of well-predicted branches per block. The alphabet details are
// computed only for the rare blocks where a long run may end.
struct CheapMasks {
  std::uint64_t alphabet = 0;  // base64 characters, either alphabet
  std::uint64_t escapes = 0;   // escape starts (escape_starts)
  std::uint64_t keywords = 0;  // the `y` of a possible `ntry` of `sntry`/`sentry` (keyword_ends)
  std::uint64_t hex = 0;       // hex digits (add_hex_runs)
};

struct DetailMasks {
  std::uint64_t plus_slash = 0;       // standard alphabet only
  std::uint64_t dash_underscore = 0;  // URL-safe alphabet only
};

// '%' followed by two hex digits, or '\' followed by '/', 'u' or 'x'. The
// last bytes of a block cannot see their followers: they stay candidates.
std::uint64_t escape_starts(std::uint64_t percent, std::uint64_t backslash, std::uint64_t hex,
                            std::uint64_t escape_kind) {
  const std::uint64_t next_hex = (hex >> 1) | (1ull << 63);
  const std::uint64_t second_hex = (hex >> 2) | (3ull << 62);
  const std::uint64_t next_kind = (escape_kind >> 1) | (1ull << 63);
  return (percent & next_hex & second_hex) | (backslash & next_kind);
}

// A `y` with an `n` three bytes before it (either case, `| 0x20`): the cheap
// half of `ntry`, checked in full by is_keyword_at. Keywords are found by
// their `y`, so that a block without one (half the blocks of C) has none:
// `n_before` is taken from the block read 3 bytes early (survey_blocks makes
// those bytes readable), and an `ntry` across two blocks is seen whole in
// the second.
std::uint64_t keyword_ends(std::uint64_t n_before, std::uint64_t y) { return n_before & y; }

// Per-byte flags; scalar_masks gathers them by bit number.
enum FlagBit : unsigned { kAlphabetBit, kPlusSlashBit, kDashUnderscoreBit, kHexBit, kPercentBit, kBackslashBit, kEscapeKindBit };
constexpr unsigned char flag(FlagBit bit) { return static_cast<unsigned char>(1u << bit); }

constexpr std::array<unsigned char, 256> make_flags() {
  std::array<unsigned char, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = flag(kAlphabetBit) | flag(kHexBit);
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = flag(kAlphabetBit) | (c <= 'F' ? flag(kHexBit) : 0);
  for (int c = 'a'; c <= 'z'; ++c) table[c] = flag(kAlphabetBit) | (c <= 'f' ? flag(kHexBit) : 0);
  table['+'] = flag(kAlphabetBit) | flag(kPlusSlashBit);
  table['/'] = flag(kAlphabetBit) | flag(kPlusSlashBit) | flag(kEscapeKindBit);
  table['-'] = table['_'] = flag(kAlphabetBit) | flag(kDashUnderscoreBit);
  table['u'] |= flag(kEscapeKindBit);
  table['x'] |= flag(kEscapeKindBit);
  table['%'] = flag(kPercentBit);
  table['\\'] = flag(kBackslashBit);
  return table;
}
constexpr auto kFlags = make_flags();

// Bit `bit` of each of 8 flag bytes packed in a word, as 8 bits (byte k -> bit k).
std::uint64_t gather_flag(std::uint64_t flags, unsigned bit) {
  // The multiply adds byte k's bit into bit 56 + k, with no carries.
  return (((flags >> bit) & 0x0101010101010101ull) * 0x0102040810204080ull) >> 56;
}

// Portable masks: one table lookup per byte, then 8 bytes at a time.
template <std::size_t N>
std::array<std::uint64_t, N> scalar_masks(const unsigned char* block, const std::array<FlagBit, N>& bits) {
  std::array<std::uint64_t, N> masks{};
  for (unsigned word = 0; word < 8; ++word) {
    std::uint64_t flags = 0;
    for (unsigned k = 0; k < 8; ++k) flags |= static_cast<std::uint64_t>(kFlags[block[word * 8 + k]]) << (8 * k);
    for (std::size_t m = 0; m < N; ++m) masks[m] |= gather_flag(flags, bits[m]) << (8 * word);
  }
  return masks;
}

CheapMasks scalar_cheap(const unsigned char* block) {
  const auto m = scalar_masks<5>(block, {kAlphabetBit, kPercentBit, kBackslashBit, kHexBit, kEscapeKindBit});
  std::uint64_t n_before = 0, y = 0;
  for (unsigned k = 0; k < 64; ++k) {
    n_before |= static_cast<std::uint64_t>((block[static_cast<int>(k) - 3] | 0x20) == 'n') << k;
    y |= static_cast<std::uint64_t>((block[k] | 0x20) == 'y') << k;
  }
  return {m[0], escape_starts(m[1], m[2], m[3], m[4]), keyword_ends(n_before, y), m[3]};
}

DetailMasks scalar_details(const unsigned char* block) {
  const auto m = scalar_masks<2>(block, {kPlusSlashBit, kDashUnderscoreBit});
  return {m[0], m[1]};
}

#ifdef SENTRYSCAN_SURVEY_X86
// Nibble lookup (the usual pshufb classification): a byte's class is
// low_table[low nibble] & high_table[high nibble]. Bits 0-5 are the base64
// groups (0 digits, 1 A-O a-o, 2 P-Z p-z, 3 + /, 4 _, 5 -), bit 7 the hex letters.
#define SENTRYSCAN_LOW_TABLE                                                                                  \
  0x05, static_cast<char>(0x87), static_cast<char>(0x87), static_cast<char>(0x87), static_cast<char>(0x87), \
      static_cast<char>(0x87), static_cast<char>(0x87), 0x07, 0x07, 0x47, 0x06, 0x0A, 0x02, 0x22, 0x02, 0x1A
#define SENTRYSCAN_HIGH_TABLE \
  0x00, 0x00, 0x28, 0x01, static_cast<char>(0x82), 0x54, static_cast<char>(0x82), 0x44, 0, 0, 0, 0, 0, 0, 0, 0

__attribute__((target("avx2"))) inline std::uint64_t movemask64(__m256i low, __m256i high) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(low)) |
         (static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(high))) << 32);
}

__attribute__((target("avx2"))) inline __m256i avx2_classes(__m256i bytes) {
  const __m256i low_table = _mm256_setr_epi8(SENTRYSCAN_LOW_TABLE, SENTRYSCAN_LOW_TABLE);
  const __m256i high_table = _mm256_setr_epi8(SENTRYSCAN_HIGH_TABLE, SENTRYSCAN_HIGH_TABLE);
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i low = _mm256_shuffle_epi8(low_table, _mm256_and_si256(bytes, nibble));
  const __m256i high = _mm256_shuffle_epi8(high_table, _mm256_and_si256(_mm256_srli_epi16(bytes, 4), nibble));
  return _mm256_and_si256(low, high);
}

// Lanes whose class has any of `bits`.
__attribute__((target("avx2"))) inline __m256i avx2_any(__m256i classes, char bits) {
  return _mm256_xor_si256(_mm256_cmpeq_epi8(_mm256_and_si256(classes, _mm256_set1_epi8(bits)), _mm256_setzero_si256()),
                          _mm256_set1_epi8(-1));
}

__attribute__((target("avx2"))) inline __m256i avx2_is(__m256i bytes, char c) {
  return _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8(c));
}

__attribute__((target("avx2"))) inline __m256i avx2_escape_kind(__m256i bytes) {
  return _mm256_or_si256(avx2_is(bytes, '/'), _mm256_or_si256(avx2_is(bytes, 'u'), avx2_is(bytes, 'x')));
}

// Possible `ntry` ends: a `y` with an `n` three bytes before (keyword_ends).
// Only a block holding a `y` (class bit 0x40, from the classes made anyway)
// is tested; the block is readable from 3 bytes before its start. (Testing
// `n` with the `y` three bytes on missed an `ntry` whose `y` lay in the next
// block whenever this one held no `y`.)
__attribute__((target("avx2"))) inline std::uint64_t avx2_keywords(const unsigned char* block, __m256i a, __m256i b,
                                                                    __m256i class_a, __m256i class_b) {
  if (_mm256_testz_si256(_mm256_or_si256(class_a, class_b), _mm256_set1_epi8(0x40))) return 0;
  const __m256i case_bit = _mm256_set1_epi8(0x20);
  const __m256i a3 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block - 3));
  const __m256i b3 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 29));
  const __m256i ntry_a = _mm256_and_si256(avx2_is(_mm256_or_si256(a3, case_bit), 'n'), avx2_is(_mm256_or_si256(a, case_bit), 'y'));
  const __m256i ntry_b = _mm256_and_si256(avx2_is(_mm256_or_si256(b3, case_bit), 'n'), avx2_is(_mm256_or_si256(b, case_bit), 'y'));
  const __m256i any = _mm256_or_si256(ntry_a, ntry_b);
  return _mm256_testz_si256(any, any) ? 0 : movemask64(ntry_a, ntry_b);
}

// Lanes whose class is zero: not a base64 character (bits 6 and 7 mark only
// letters and digits, which have a group bit too).
__attribute__((target("avx2"))) inline __m256i avx2_none(__m256i classes) {
  return _mm256_cmpeq_epi8(classes, _mm256_setzero_si256());
}

// Escapes are looked at only in blocks holding a `%` or `\` (one block in
// sixteen of /usr/include): the hex digits and escape kinds that follow
// are worked out there alone.
__attribute__((target("avx2"))) inline std::uint64_t avx2_escapes(__m256i a, __m256i b, __m256i class_a, __m256i class_b) {
  const __m256i percent_a = avx2_is(a, '%'), percent_b = avx2_is(b, '%');
  const __m256i backslash_a = avx2_is(a, '\\'), backslash_b = avx2_is(b, '\\');
  const __m256i any = _mm256_or_si256(_mm256_or_si256(percent_a, percent_b), _mm256_or_si256(backslash_a, backslash_b));
  if (_mm256_testz_si256(any, any)) return 0;
  const char hex_bits = static_cast<char>(0x81);
  return escape_starts(movemask64(percent_a, percent_b), movemask64(backslash_a, backslash_b),
                       movemask64(avx2_any(class_a, hex_bits), avx2_any(class_b, hex_bits)),
                       movemask64(avx2_escape_kind(a), avx2_escape_kind(b)));
}

__attribute__((target("avx2"))) inline CheapMasks avx2_cheap(const unsigned char* block) {
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32));
  const __m256i class_a = avx2_classes(a), class_b = avx2_classes(b);
  // Hex digits are class bits 0 (digits) and 7 (letters a-f): a 16-bit shift
  // by 7 puts each byte's bit 0 on its bit 7 (bits moving into the next byte
  // land below its bit 7), so one movemask reads either.
  const std::uint64_t hex = movemask64(_mm256_or_si256(class_a, _mm256_slli_epi16(class_a, 7)),
                                       _mm256_or_si256(class_b, _mm256_slli_epi16(class_b, 7)));
  return {~movemask64(avx2_none(class_a), avx2_none(class_b)), avx2_escapes(a, b, class_a, class_b),
          avx2_keywords(block, a, b, class_a, class_b), hex};
}

__attribute__((target("avx2"))) inline DetailMasks avx2_details(const unsigned char* block) {
  const __m256i class_a = avx2_classes(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block)));
  const __m256i class_b = avx2_classes(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32)));
  return {movemask64(avx2_any(class_a, 0x08), avx2_any(class_b, 0x08)),
          movemask64(avx2_any(class_a, 0x30), avx2_any(class_b, 0x30))};
}

// The zero-masked broadcast: GCC 12's plain _mm512_broadcast_i32x4 starts
// from _mm512_undefined_epi32() and trips -Wmaybe-uninitialized.
__attribute__((target("avx512bw"))) inline __m512i avx512_broadcast(__m128i lane) {
  return _mm512_maskz_broadcast_i32x4(static_cast<__mmask16>(0xFFFF), lane);
}

__attribute__((target("avx512bw"))) inline __m512i avx512_classes(__m512i bytes) {
  const __m512i low_table = avx512_broadcast(_mm_setr_epi8(SENTRYSCAN_LOW_TABLE));
  const __m512i high_table = avx512_broadcast(_mm_setr_epi8(SENTRYSCAN_HIGH_TABLE));
  const __m512i nibble = _mm512_set1_epi8(0x0F);
  const __m512i low = _mm512_shuffle_epi8(low_table, _mm512_and_si512(bytes, nibble));
  const __m512i high = _mm512_shuffle_epi8(high_table, _mm512_and_si512(_mm512_srli_epi16(bytes, 4), nibble));
  return _mm512_and_si512(low, high);
}

// As with AVX2, the escape kinds and starts are worked out only in blocks
// holding a `%` or `\` (one in sixteen of /usr/include): 7 % less survey
// time on the release tree (best of 7 passes over 210 MB of it: 0.306 s
// -> 0.286 s). The `y` gate of the keywords is not worth its branch here
// (three blocks in four of source code hold a `y`).
__attribute__((target("avx512bw"))) inline CheapMasks avx512_cheap(const unsigned char* block) {
  const __m512i bytes = _mm512_loadu_si512(block);
  const __m512i classes = avx512_classes(bytes);
  const __m512i lower = _mm512_or_si512(bytes, _mm512_set1_epi8(0x20));
  const __m512i lower_before = _mm512_or_si512(_mm512_loadu_si512(block - 3), _mm512_set1_epi8(0x20));
  const std::uint64_t hex = _mm512_test_epi8_mask(classes, _mm512_set1_epi8(static_cast<char>(0x81)));
  const std::uint64_t percent = _mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8('%'));
  const std::uint64_t backslash = _mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8('\\'));
  std::uint64_t escapes = 0;
  if (percent | backslash) [[unlikely]] {
    const std::uint64_t kind = _mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8('/')) |
                               _mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8('u')) |
                               _mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8('x'));
    escapes = escape_starts(percent, backslash, hex, kind);
  }
  return {_mm512_test_epi8_mask(classes, _mm512_set1_epi8(0x3F)), escapes,
          keyword_ends(_mm512_cmpeq_epi8_mask(lower_before, _mm512_set1_epi8('n')),
                       _mm512_cmpeq_epi8_mask(lower, _mm512_set1_epi8('y'))),
          hex};
}

__attribute__((target("avx512bw"))) inline DetailMasks avx512_details(const unsigned char* block) {
  const __m512i classes = avx512_classes(_mm512_loadu_si512(block));
  return {_mm512_test_epi8_mask(classes, _mm512_set1_epi8(0x08)), _mm512_test_epi8_mask(classes, _mm512_set1_epi8(0x30))};
}
#undef SENTRYSCAN_LOW_TABLE
#undef SENTRYSCAN_HIGH_TABLE
#endif

int hex_byte(std::string_view text, std::size_t at) {
  if (at + 2 > text.size()) return -1;
  const auto high = static_cast<unsigned char>(text[at]), low = static_cast<unsigned char>(text[at + 1]);
  if (!(kFlags[high] & kFlags[low] & flag(kHexBit))) return -1;
  auto value = [](unsigned char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  return value(high) * 16 + value(low);
}

bool credential_char(int value) {
  return value > 0 && value < 0x80 &&
         ((kFlags[static_cast<unsigned>(value)] & flag(kAlphabetBit)) || value == ':' || value == '@' ||
          value == '=' || value == '.');
}

// Triggers are kept at most one per kTriggerSpacing bytes: the first one
// reserves room for all, instead of the vector growing 1, 2, 4... (a file
// naming Sentry every few lines grew it seven times; the survey's vectors
// were 188 k of the 1.1 M allocations of a scan of the release tree).
void keep_trigger(std::string_view text, std::vector<std::size_t>& kept, std::size_t at) {
  if (kept.empty()) kept.reserve(std::min<std::size_t>(text.size() / Survey::kTriggerSpacing + 1, 1024));
  kept.push_back(at);
}

void add_escapes(std::string_view text, std::uint64_t starts, std::size_t base, Survey& survey) {
  for (; starts; starts &= starts - 1) {
    const std::size_t i = base + static_cast<std::size_t>(std::countr_zero(starts));
    if (i >= text.size()) break;  // the padding of the last block
    auto keep = [i, text](std::vector<std::size_t>& kept) {
      if (kept.empty() || i >= kept.back() + Survey::kTriggerSpacing) keep_trigger(text, kept, i);
    };
    if (text[i] == '%') {
      if (is_percent_trigger(text, i)) keep(survey.percents);
    } else if (is_escape_trigger(text, i)) {
      keep(survey.backslashes);
    }
  }
}

// `ends` from keyword_ends: the `n` is 3 bytes before each bit (at least 3
// into the text: the bytes before the first block are zeros).
void add_keywords(std::string_view text, std::uint64_t ends, std::size_t base, Survey& survey) {
  for (; ends; ends &= ends - 1) {
    const std::size_t i = base + static_cast<std::size_t>(std::countr_zero(ends)) - 3;
    if (i >= text.size()) break;  // the padding of the last block
    if (!survey.keywords.empty() && i < survey.keywords.back() + Survey::kTriggerSpacing) continue;
    if (is_keyword_at(text, i)) keep_trigger(text, survey.keywords, i);
  }
}

// Bits [from, to) of a 64-bit mask.
std::uint64_t bit_range(unsigned from, unsigned to) {
  if (from >= 64 || from >= to) return 0;
  const std::uint64_t below_to = to >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << to) - 1;
  return below_to & ~((std::uint64_t{1} << from) - 1);
}

// The top `count` bits (count < 64).
std::uint64_t top_bits(unsigned count) { return ~(~std::uint64_t{0} >> count); }

class RunTracker {
 public:
  explicit RunTracker(std::size_t min_run)
      : min_run_(min_run), middle_(min_run > 32 ? bit_range(64 - static_cast<unsigned>(min_run), static_cast<unsigned>(min_run)) : 0) {
    // Shifts that turn "a run of `length` starts here" into "of length + shift".
    for (std::size_t length = 1; length < min_run; length += shifts_[shift_count_++])
      shifts_[shift_count_] = static_cast<unsigned>(std::min(length, min_run - length));
  }

  // Nothing long enough ends or sits in this block: no min_run base64
  // characters in a row. Most blocks of source code are mostly letters, but
  // a long run is rare there: ruling one out costs a few instructions,
  // working the runs out a hundred (it took half the survey's instructions
  // on /usr/include).
  bool quiet(std::uint64_t alphabet) const {
    // A run that began in an earlier block ends in this one.
    if (carry_ + static_cast<std::size_t>(std::countr_one(alphabet)) >= min_run_) return false;
    // A run of more than 32 inside the block covers its middle bits.
    if (middle_) return (alphabet & middle_) != middle_;
    if (static_cast<std::size_t>(std::popcount(alphabet)) < min_run_) return true;
    for (unsigned i = 0; i < shift_count_; ++i) alphabet &= alphabet >> shifts_[i];
    return alphabet == 0;
  }

  // A quiet block: only remember where the open run starts. Its alphabet
  // flags are worked out if it ever grows long enough to matter.
  // Two stores: the flags are reset when they are next needed (add), not
  // here, since most blocks are quiet one after another.
  void skip(const unsigned char* block, std::uint64_t alphabet) {
    carry_ = static_cast<std::size_t>(std::countl_one(alphabet));
    open_block_ = block;
  }

  template <DetailMasks (*Details)(const unsigned char*)>
  void add(std::uint64_t alphabet, const DetailMasks& details, std::size_t base,
           const RunSink& runs) {
    if (open_block_) {
      plus_slash_ = dash_underscore_ = false;
      if (carry_ > 0) note(Details(open_block_), top_bits(static_cast<unsigned>(carry_)));
      open_block_ = nullptr;
    }
    if (alphabet == ~std::uint64_t{0}) {
      note(details, ~std::uint64_t{0});
      carry_ += 64;
      return;
    }
    const auto lead = static_cast<unsigned>(std::countr_one(alphabet));
    if (carry_ > 0 || lead > 0) {
      note(details, bit_range(0, lead));
      if (carry_ + lead >= min_run_) runs(Survey::Run{base - carry_, base + lead, plus_slash_, dash_underscore_});
    }
    // One more run fits inside a block when min_run > 32; shorter minimums may see several.
    const auto tail = static_cast<unsigned>(std::countl_one(alphabet));
    std::uint64_t inner = alphabet & ~bit_range(0, lead) & ~bit_range(64 - tail, 64);
    while (inner) {
      const auto start = static_cast<unsigned>(std::countr_zero(inner));
      const auto length = static_cast<unsigned>(std::countr_one(inner >> start));
      const std::uint64_t bits = bit_range(start, start + length);
      if (length >= min_run_)
        runs(Survey::Run{base + start, base + start + length, (details.plus_slash & bits) != 0,
                        (details.dash_underscore & bits) != 0});
      inner &= ~bits;
    }
    carry_ = tail;
    plus_slash_ = dash_underscore_ = false;
    if (tail) note(details, top_bits(tail));
  }

  void finish(std::size_t size, const RunSink& runs) {
    if (carry_ >= min_run_) runs(Survey::Run{size - carry_, size, plus_slash_, dash_underscore_});
  }

 private:
  void note(const DetailMasks& details, std::uint64_t bits) {
    plus_slash_ |= (details.plus_slash & bits) != 0;
    dash_underscore_ |= (details.dash_underscore & bits) != 0;
  }

  std::size_t min_run_;
  std::uint64_t middle_;  // bits every run of min_run > 32 inside a block covers
  std::array<unsigned, 8> shifts_{};  // ceil(log2(64)) + 1 suffice
  unsigned shift_count_ = 0;
  std::size_t carry_ = 0;
  // The quiet block where the open run starts, until its alphabet flags are
  // worked out (null: plus_slash_ and dash_underscore_ are those of the open run).
  const unsigned char* open_block_ = nullptr;
  bool plus_slash_ = false, dash_underscore_ = false;
};

// Whether the text holds 32 and 64 hex digits in a row. Such a run covers
// a whole aligned 16-byte lane of some block (any 31 bytes in a row do), so
// only a block with a lane of hex digits (0.4 % of the release tree's) has
// its run measured. The hex mask comes with the classes (AVX2: a shift and
// a movemask more). A carried run length for every block cost more, and so
// did gating AVX2 on lanes of base64 characters (12 % of blocks) and working
// their hex digits out apart: a scan of the release tree took 3.064 G
// instructions that way, 2.935 G this way (callgrind, AVX2).
bool has_full_lane(std::uint64_t mask) {
  // A 16-bit lane of ~mask that is zero (a borrow may flag a lane above one: add_hex_runs checks each).
  const std::uint64_t other = ~mask;
  return ((other - 0x0001000100010001ull) & mask & 0x8000800080008000ull) != 0;
}

// Once a run of 32 is known only a run of 64 matters, and it covers a whole
// 32-byte half (any 63 bytes in a row do): files of 40-hex digests then cost
// a compare a block (add_hex_runs was 33 M on the release tree before).
bool may_hold_hex_run(std::uint64_t mask, const Survey& survey) {
  if (!survey.hex_run_32) return has_full_lane(mask);
  return !survey.hex_run_64 && (static_cast<std::uint32_t>(mask) == 0xFFFFFFFFu || (mask >> 32) == 0xFFFFFFFFu);
}

// The runs through the block's lanes of hex digits, measured with the mask
// inside the block and byte by byte beyond it (up to 48 bytes either way,
// enough to tell 64); 32-byte halves once a run of 32 is known. Out of
// line: inlined, it cost the survey's loop registers on every block.
__attribute__((noinline)) void add_hex_runs(std::string_view text, std::uint64_t hex, std::size_t base, Survey& survey) {
  constexpr std::size_t kReach = 48;
  auto is_hex = [](char c) { return (kFlags[static_cast<unsigned char>(c)] & flag(kHexBit)) != 0; };
  const unsigned lane_bits = survey.hex_run_32 ? 32 : 16;
  const std::uint64_t lane_mask = survey.hex_run_32 ? 0xFFFFFFFFull : 0xFFFFull;
  for (unsigned lane = 0; lane < 64 && !survey.hex_run_64; lane += lane_bits) {
    if (((hex >> lane) & lane_mask) != lane_mask) continue;
    // Bits [from, to) of the block: the run through this lane.
    const unsigned from = lane == 0 ? 0 : lane - static_cast<unsigned>(std::countl_one(hex << (64 - lane)));
    const unsigned to = lane + lane_bits == 64 ? 64 : lane + lane_bits + static_cast<unsigned>(std::countr_one(hex >> (lane + lane_bits)));
    std::size_t run = to - from;
    // All of it lies in the text (the padding of a copied block is zeros);
    // at the block's edges it may go on.
    if (from == 0)
      for (std::size_t left = 0; left < kReach && left < base && is_hex(text[base - left - 1]); ++left) ++run;
    if (to == 64)
      for (std::size_t right = 0; right < kReach && base + 64 + right < text.size() && is_hex(text[base + 64 + right]); ++right) ++run;
    survey.hex_run_32 |= run >= 32;
    survey.hex_run_64 |= run >= 64;
    lane = (to + lane_bits - 1) / lane_bits * lane_bits - lane_bits;  // on past this run
  }
}

template <CheapMasks (*Cheap)(const unsigned char*), DetailMasks (*Details)(const unsigned char*)>
void survey_blocks(std::string_view text, std::size_t min_run, const RunSink& on_run, Survey& survey) {
  RunTracker runs(min_run);
  // Blocks are read in place, and from 3 bytes before their start
  // (keyword_ends): the first block and the last partial one come from
  // padded copies, alternating, that live as long as the loop (the tracker
  // may look back one block).
  constexpr std::size_t kBefore = 3;
  std::array<std::array<unsigned char, kBefore + 64>, 2> copies{};
  unsigned next_copy = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  auto one_block = [&](const unsigned char* block, std::size_t base) {
    const CheapMasks cheap = Cheap(block);
    if (may_hold_hex_run(cheap.hex, survey)) [[unlikely]] add_hex_runs(text, cheap.hex, base, survey);
    if (cheap.escapes) add_escapes(text, cheap.escapes, base, survey);
    if (cheap.keywords) add_keywords(text, cheap.keywords, base, survey);
    if (runs.quiet(cheap.alphabet)) runs.skip(block, cheap.alphabet);
    else runs.add<Details>(cheap.alphabet, Details(block), base, on_run);
  };
  auto copied_block = [&](std::size_t base) {
    auto& copy = copies[next_copy++ % 2];
    copy.fill(0);
    if (base >= kBefore) std::memcpy(copy.data(), data + base - kBefore, kBefore);
    std::memcpy(copy.data() + kBefore, data + base, std::min<std::size_t>(64, text.size() - base));
    one_block(copy.data() + kBefore, base);
  };
  // The first block, the whole blocks in place, the last partial block: no
  // test for the copies inside the loop (5 of the ~100 instructions a block).
  if (text.empty()) return runs.finish(0, on_run);
  copied_block(0);
  std::size_t base = 64;
  for (; base + 64 <= text.size(); base += 64) one_block(data + base, base);
  if (base < text.size()) copied_block(base);
  runs.finish(text.size(), on_run);
}

void survey_scalar(std::string_view text, std::size_t min_run, const RunSink& on_run, Survey& survey) {
  survey_blocks<scalar_cheap, scalar_details>(text, min_run, on_run, survey);
}

#ifdef SENTRYSCAN_SURVEY_X86
// flatten: the loop and the mask functions are compiled together for the target.
__attribute__((target("avx2"), flatten)) void survey_avx2(std::string_view text, std::size_t min_run,
                                                           const RunSink& on_run, Survey& survey) {
  survey_blocks<avx2_cheap, avx2_details>(text, min_run, on_run, survey);
}

__attribute__((target("avx512bw"), flatten)) void survey_avx512(std::string_view text, std::size_t min_run,
                                                                 const RunSink& on_run, Survey& survey) {
  survey_blocks<avx512_cheap, avx512_details>(text, min_run, on_run, survey);
}
#endif

}  // namespace

namespace {

// The escape at text[at] begins an archive or stream signature, percent-
// encoded as `percent_encode` and browsers write it (letters and digits kept):
// `%1F%8B` gzip, `PK%03%04` zip, `%FD7zXZ` xz, `(%B5/%FD` zstd (`%2F` is a
// trigger already), `1AY%26SY` bzip2. A compressed stream may hold no escape
// of a credential character at all (about 1 in 15 of 100 bytes).
bool percent_signature(std::string_view text, std::size_t at, int value) {
  auto escape_at = [&](std::size_t i, int byte) { return i < text.size() && text[i] == '%' && hex_byte(text, i + 1) == byte; };
  auto literal_at = [&](std::size_t i, std::string_view s) { return i <= text.size() && text.substr(i, s.size()) == s; };
  switch (value) {
    case 0x1F: return escape_at(at + 3, 0x8B);
    case 0x03: return at >= 2 && literal_at(at - 2, "PK") && escape_at(at + 3, 0x04);
    case 0xFD: return literal_at(at + 3, "7zXZ") || (at >= 4 && escape_at(at - 4, 0xB5) && text[at - 1] == '/');
    case 0x26: return at >= 3 && literal_at(at - 3, "1AY") && literal_at(at + 3, "SY");
    default: return false;
  }
}

}  // namespace

bool is_percent_trigger(std::string_view text, std::size_t at) {
  const int value = hex_byte(text, at + 1);
  return value == '/' || value == ':' || value == '@' || value == '+' || value == '=' || value == '_' || value == '%' ||
         percent_signature(text, at, value);
}

bool is_escape_trigger(std::string_view text, std::size_t at) {
  if (at + 1 >= text.size()) return false;
  const char next = text[at + 1];
  if (next == '/') return true;
  if (next == 'x') return credential_char(hex_byte(text, at + 2));
  if (next == 'u' && at + 3 < text.size() && text[at + 2] == '0' && text[at + 3] == '0')
    return credential_char(hex_byte(text, at + 4));
  return false;
}

bool is_keyword_at(std::string_view text, std::size_t at) {
  auto lower_is = [text](std::size_t i, std::string_view word) {
    if (i > text.size() || text.size() - i < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k)
      if ((static_cast<unsigned char>(text[i + k]) | 0x20) != static_cast<unsigned char>(word[k])) return false;
    return true;
  };
  if (!lower_is(at, "ntry")) return false;
  return (at >= 1 && lower_is(at - 1, "s")) || (at >= 2 && lower_is(at - 2, "se"));
}

Survey survey_text(std::string_view text, std::size_t min_run, const RunSink& on_run, SurveyIsa isa) {
  Survey survey;
  min_run = std::clamp<std::size_t>(min_run, 1, 64);
#ifdef SENTRYSCAN_SURVEY_X86
  static const bool has_avx512 = __builtin_cpu_supports("avx512bw");
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  if (isa == SurveyIsa::avx512 && has_avx512) {
    survey_avx512(text, min_run, on_run, survey);
    return survey;
  }
  if (isa != SurveyIsa::scalar && has_avx2) {
    survey_avx2(text, min_run, on_run, survey);
    return survey;
  }
#endif
  (void)isa;
  survey_scalar(text, min_run, on_run, survey);
  return survey;
}

Survey survey_text(std::string_view text, std::size_t min_run, SurveyIsa isa) {
  std::vector<Survey::Run> runs;
  Survey survey = survey_text(text, min_run, [&runs](const Survey::Run& run) { runs.push_back(run); }, isa);
  survey.long_runs = std::move(runs);
  return survey;
}

Survey survey_text(std::string_view text, std::size_t min_run, const RunSink& on_run) {
  return survey_text(text, min_run, on_run, SurveyIsa::avx512);
}

Survey survey_text(std::string_view text, std::size_t min_run) { return survey_text(text, min_run, SurveyIsa::avx512); }

}  // namespace sentryscan::decode
