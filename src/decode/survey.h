// One fast pass over a text that says where anything could be hidden, so
// that ordinary text costs little more than reading it once (project issue 7:
// "stays fast on plain text").
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace sentryscan::decode {

struct Survey {
  // A maximal run of base64 characters (either alphabet) of at least the
  // requested length, and which alphabet-specific characters it holds
  // (exactly: split_run skips its byte loop when only one kind is present,
  // and survey_test compares them with a byte loop).
  struct Run {
    std::size_t begin = 0, end = 0;
    bool has_plus_slash = false;        // standard alphabet only
    bool has_dash_underscore = false;   // URL-safe alphabet only
  };
  std::vector<Run> long_runs;  // ascending
  // Escapes of characters that occur in credentials, ascending: percent
  // (is_percent_trigger) and JSON/JS string escapes (is_escape_trigger).
  // One is kept per kTriggerSpacing bytes of each kind: the windows decoded
  // around them are far wider, and a file of nothing but escapes must not
  // need a vector larger than itself.
  static constexpr std::size_t kTriggerSpacing = 256;
  std::vector<std::size_t> percents;
  std::vector<std::size_t> backslashes;
  // `sntry` or `sentry` (any case), at their `n`, ascending, one per
  // kTriggerSpacing: where a string literal split in source code is worth
  // joining (decode/joined_literals.h). Found in the same pass as the rest.
  std::vector<std::size_t> keywords;
  // The text holds 32 (64) hex digits in a row: the prefilters that need
  // them (DSN keys, 64-hex tokens) are left out of the scan of a text without
  // (Matcher::find's HexRun). Worked out from the classes the pass makes
  // anyway; exact, survey_test compares them with a byte loop.
  bool hex_run_32 = false;
  bool hex_run_64 = false;
};

// `sntry` or `sentry`, any case, with the `n` at text[at].
bool is_keyword_at(std::string_view text, std::size_t at);

// `%2F %3A %40 %2B %3D %5F %25` (either case) at text[at], or the first
// escape of a percent-encoded archive or stream signature (`%1F%8B`...).
bool is_percent_trigger(std::string_view text, std::size_t at);

// `\/`, or `\u00XX` / `\xXX` of a letter, digit or one of `/:@+=_-.`, at text[at].
bool is_escape_trigger(std::string_view text, std::size_t at);

// `min_run` is at most 64. Uses AVX-512BW or AVX2 when the CPU has them.
Survey survey_text(std::string_view text, std::size_t min_run);

// Runs go to `on_run` as they are found, in order, instead of into
// long_runs: a text made of long runs (hex dumps, lockfiles) would otherwise
// build a vector of runs about as large as itself.
using RunSink = std::function<void(const Survey::Run&)>;
Survey survey_text(std::string_view text, std::size_t min_run, const RunSink& on_run);

// One implementation in particular, so tests can check that they agree.
// An instruction set the CPU lacks falls back to the next one down.
enum class SurveyIsa { avx512, avx2, scalar };
Survey survey_text(std::string_view text, std::size_t min_run, SurveyIsa isa);
Survey survey_text(std::string_view text, std::size_t min_run, const RunSink& on_run, SurveyIsa isa);

}  // namespace sentryscan::decode
