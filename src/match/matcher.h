// Hyperscan prefilter + RE2 confirmation + structural checks (SPEC 6).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "rules/rule.h"

namespace sentryscan {

// A confirmed credential in a buffer: byte offsets of the secret itself.
struct Match {
  std::size_t rule_index = 0;
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last byte
  std::optional<TokenInfo> token;
  std::optional<DsnInfo> dsn;
};

// Facts about the buffer that context checks may use.
struct MatchContext {
  std::string_view path;  // may be empty (stdin); lockfile and "names sentry" checks read it
};

// True when the named group `(?P<secret>...)` is the last thing in `regex`,
// so a confirmed secret always ends at the candidate's end. Skips escapes and
// character classes, where parentheses are literal. (The delta scan asks it
// too: a regex that starts with the group is the secret alone.)
bool secret_group_closes(std::string_view regex);

// What is wrong with a pattern's confirmation regex: it does not compile,
// or has no (?P<secret>...) group; empty when nothing is. The Matcher
// compiles the built-in rules' regexes on first use, and a test runs this
// over every one of them.
std::string confirmation_problem(const RulePattern& pattern);

// How many hex digits in a row a text holds, as far as the prefilters care
// (survey_text works it out in the pass it makes anyway). A prefilter that
// needs 32 or 64 hex digits in a row (every DSN key, every 64-hex token)
// cannot match a text without such a run, so find() leaves it out of that
// text's Hyperscan scan: a smaller database, the same candidates. On the
// release tree two thirds of the bytes hold no run of 32 (bench/RESULTS.md).
enum class HexRun { below_32, below_64, unknown };

struct DatabaseRequest;

// The hex digits in a row that every match of a prefilter holds: the
// largest `{N}` of a class of hex digits outside any group, 0 when none is
// or the regex has an alternation outside groups (always safe).
std::size_t required_hex_run(std::string_view prefilter);

class Matcher {
 public:
  // Per-thread Hyperscan scratch space. Not shareable between threads.
  class Scratch {
   public:
    Scratch(Scratch&&) noexcept;
    Scratch& operator=(Scratch&&) noexcept;
    ~Scratch();

   private:
    friend class Matcher;
    struct Impl;
    explicit Scratch(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
  };

  // Compiles every pattern of every rule into one block-mode database.
  // Throws InputError naming the rule's file when a pattern does not compile.
  explicit Matcher(std::vector<Rule> rules);
  Matcher(Matcher&&) noexcept;
  ~Matcher();

  Scratch make_scratch() const;

  // All confirmed matches in `text`, ordered by position, one per secret span.
  // `hex` must be true of `text` (unknown: every prefilter is scanned).
  std::vector<Match> find(std::string_view text, const MatchContext& context, Scratch& scratch,
                          HexRun hex = HexRun::unknown) const;

  const std::vector<Rule>& rules() const;

 private:
  struct Impl;
  void add_hex_databases(const DatabaseRequest& full, const std::optional<std::filesystem::path>& cache_dir,
                         std::uint64_t seed);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sentryscan
