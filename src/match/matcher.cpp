#include "match/matcher.h"

#include <fmt/format.h>
#include <hs/hs.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cctype>
#include <cstdint>
#include <deque>
#include <mutex>
#include <random>

#include "core/c_handle.h"
#include "core/input_error.h"
#include "match/database_cache.h"
#include "match/database_check.h"
#include "match/checks.h"

namespace sentryscan {
namespace {

using DatabasePtr = CHandle<hs_database_t, hs_free_database>;
using HsScratchPtr = CHandle<hs_scratch_t, hs_free_scratch>;

using CharSet = std::array<bool, 256>;

// "A-Za-z0-9+/" -> membership table.
CharSet parse_char_set(std::string_view spec) {
  CharSet set{};
  for (std::size_t i = 0; i < spec.size(); ++i) {
    if (i + 2 < spec.size() && spec[i + 1] == '-') {
      for (int c = static_cast<unsigned char>(spec[i]); c <= static_cast<unsigned char>(spec[i + 2]); ++c) set[c] = true;
      i += 2;
    } else {
      set[static_cast<unsigned char>(spec[i])] = true;
    }
  }
  return set;
}

// The RE2 that confirms a pattern's candidates, anchored at the candidate's
// end, and the index of its (?P<secret>...) group; or what is wrong with it.
struct Confirmation {
  std::unique_ptr<RE2> regex;
  int secret_group = 0;  // 1-based capture index
  std::string error;     // empty: regex is usable
};

Confirmation compile_confirmation(const RulePattern& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  Confirmation out;
  out.regex = std::make_unique<RE2>("(?:" + pattern.confirm + ")\\z", options);
  if (!out.regex->ok()) {
    out.error = "confirm regex: " + out.regex->error();
    return out;
  }
  const auto groups = out.regex->NamedCapturingGroups();
  const auto secret = groups.find("secret");
  if (secret == groups.end()) {
    out.error = "confirm regex has no (?P<secret>...) group";
    return out;
  }
  out.secret_group = secret->second;
  return out;
}

// One Hyperscan expression, with the RE2 that confirms it. The built-in
// rules' regexes are compiled on their first candidate, not at start-up:
// all of them took 8 % of a `sentryscan staged` run (2.5 of 31 ms), and a
// pre-commit hook's scan of a few changed lines rarely reaches any
// (BuiltinRules.EveryConfirmationRegexCompilesAndNamesItsSecret compiles
// every built-in one, tests/match/matcher_test.cpp). A rules
// file's are compiled at once, so a mistake in one is reported before the scan.
struct CompiledPattern {
  std::size_t rule_index;
  std::size_t window;
  const RulePattern* source;  // in Matcher::Impl::rules, which outlives the patterns
  RuleCheck check;
  bool secret_at_end;  // the secret group closes the regex: it ends where Hyperscan's match ends
  mutable std::once_flag compiled;
  mutable Confirmation confirmation;

  // Null when the regex is unusable (only a built-in one could be here, and
  // that test rules that out).
  const Confirmation* confirm() const {
    std::call_once(compiled, [this] { confirmation = compile_confirmation(*source); });
    return confirmation.error.empty() ? &confirmation : nullptr;
  }
};

struct Candidate {
  unsigned pattern;
  std::size_t end;
};

int collect_candidate(unsigned id, unsigned long long, unsigned long long to, unsigned, void* context) {
  static_cast<std::vector<Candidate>*>(context)->push_back({id, static_cast<std::size_t>(to)});
  return 0;
}

bool is_ascii_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Nothing that could be part of a longer word may touch the token on the
// left; escapes written in source (`\n`, `\u0022`) are delimiters, not text.
bool left_boundary_ok(std::string_view text, std::size_t begin) {
  if (begin == 0 || !is_ascii_alnum(text[begin - 1])) return true;
  const char c = text[begin - 1];
  if ((c == 'n' || c == 't' || c == 'r') && begin >= 2 && text[begin - 2] == '\\') return true;
  if (begin >= 6 && text[begin - 6] == '\\' && text[begin - 5] == 'u') {
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(begin) - 4,
                       text.begin() + static_cast<std::ptrdiff_t>(begin),
                       [](char h) { return std::isxdigit(static_cast<unsigned char>(h)) != 0; });
  }
  return false;
}

// A DSN ends at its project id. When the URL's path goes on in escaped form
// (`\/2\/store`, `%2F2%2Fstore`) it is an API URL, just as a plain one
// followed by `/` is (which token_chars already rejects).
bool escaped_path_continues(std::string_view text, std::size_t end) {
  const std::string_view rest = text.substr(end);
  if (rest.starts_with("\\/")) return true;
  return rest.size() >= 3 && rest[0] == '%' && rest[1] == '2' && (rest[2] == 'F' || rest[2] == 'f');
}

// Debian's Hyperscan 5.4.0 reads a few bytes past the end of the buffer in
// its AVX512-VBMI code (fat Teddy; intel/hyperscan#457, vectorscan#322). That
// is harmless inside a page and a crash when the buffer ends right before an
// unmapped page, which a file of the right size can arrange. Such buffers are
// scanned from a copy with slack after it.
constexpr std::size_t kOverreadSlack = 64;
constexpr std::uintptr_t kPage = 4096;  // the smallest page size on x86-64

bool needs_padding(std::string_view text) {
  const auto end = reinterpret_cast<std::uintptr_t>(text.data() + text.size());
  return (kPage - end % kPage) % kPage < kOverreadSlack;
}

// The credential body that a placeholder check looks at: after the last '_'
// of a prefixed token, the whole value otherwise.
std::string_view credential_body(std::string_view secret) {
  const std::size_t underscore = secret.find_last_of('_');
  return underscore == std::string_view::npos ? secret : secret.substr(underscore + 1);
}

hs_database_t* compile_database(const DatabaseRequest& request, const std::vector<Rule>& rules,
                                const std::deque<CompiledPattern>& patterns) {
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(request.expressions.data(), request.flags.data(), request.ids.data(),
                       static_cast<unsigned>(request.expressions.size()), HS_MODE_BLOCK, nullptr, &database,
                       &error) != HS_SUCCESS) {
    std::string message = error ? error->message : "unknown error";
    const int bad = error ? error->expression : -1;
    hs_free_compile_error(error);
    if (bad >= 0) {
      const Rule& rule = rules[patterns[static_cast<std::size_t>(bad)].rule_index];
      throw InputError(rule.origin, 0, fmt::format("rule '{}': prefilter does not compile: {}", rule.id, message));
    }
    throw InputError("rules", 0, "Hyperscan: " + message);
  }
  return database;
}

}  // namespace

std::string confirmation_problem(const RulePattern& pattern) { return compile_confirmation(pattern).error; }

bool secret_group_closes(std::string_view regex) {
  const std::size_t open = regex.find("(?P<secret>");
  if (open == std::string_view::npos) return false;
  int depth = 0;
  for (std::size_t i = open; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '\\') {
      ++i;
    } else if (c == '[') {
      ++i;
      if (i < regex.size() && regex[i] == '^') ++i;
      if (i < regex.size() && regex[i] == ']') ++i;
      while (i < regex.size() && regex[i] != ']') i += regex[i] == '\\' ? 2 : 1;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i + 1 == regex.size();
    }
  }
  return false;
}

struct Matcher::Scratch::Impl {
  HsScratchPtr scratch;
  std::vector<Candidate> candidates;
  std::vector<char> padded;  // see needs_padding()
};

struct Matcher::Impl {
  std::vector<Rule> rules;
  std::vector<CharSet> token_chars;  // per rule
  std::deque<CompiledPattern> patterns;  // a deque: std::once_flag cannot move
  DatabasePtr database;
  // The databases without the prefilters that need 32 / 64 hex digits in a
  // row, by HexRun (nullptr: no pattern left, nothing to scan); `owned`
  // holds them, and an entry may be the full database when nothing is left out.
  std::array<const hs_database_t*, 3> by_hex{};
  std::vector<DatabasePtr> owned;
  HsScratchPtr prototype;

  bool passes_checks(const Rule& rule, RuleCheck check, std::string_view text, std::size_t begin, std::size_t end,
                     const MatchContext& context, Match& match) const;
  void confirm(std::string_view text, const Candidate& candidate, const MatchContext& context,
               std::vector<Match>& out) const;
};

Matcher::Scratch::Scratch(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Matcher::Scratch::Scratch(Scratch&&) noexcept = default;
Matcher::Scratch& Matcher::Scratch::operator=(Scratch&&) noexcept = default;
Matcher::Scratch::~Scratch() = default;

Matcher::Matcher(std::vector<Rule> rules) : impl_(std::make_unique<Impl>()) {
  impl_->rules = std::move(rules);
  std::vector<const char*> expressions;
  std::vector<unsigned> flags, ids;
  for (std::size_t r = 0; r < impl_->rules.size(); ++r) {
    const Rule& rule = impl_->rules[r];
    impl_->token_chars.push_back(parse_char_set(rule.token_chars));
    for (const RulePattern& pattern : rule.patterns) {
      ids.push_back(static_cast<unsigned>(impl_->patterns.size()));
      CompiledPattern& compiled = impl_->patterns.emplace_back();
      compiled.rule_index = r;
      compiled.window = pattern.window;
      compiled.source = &pattern;
      compiled.check = pattern.check;
      compiled.secret_at_end = secret_group_closes(pattern.confirm);
      if (!rule.builtin && !compiled.confirm())
        throw InputError(rule.origin, pattern.line, fmt::format("rule '{}': {}", rule.id, compiled.confirmation.error));
      expressions.push_back(pattern.prefilter.c_str());
      flags.push_back(0);
    }
  }
  if (expressions.empty()) throw InputError("rules", 0, "no rules to compile");
  const DatabaseRequest request{expressions, flags, ids};
  std::vector<std::size_t> rule_of_pattern;
  for (const CompiledPattern& pattern : impl_->patterns) rule_of_pattern.push_back(pattern.rule_index);
  // A database from the cache is used only once it recognises the rules'
  // examples (match/database_check.h): anyone who could write the cache
  // directory chose its bytes. Otherwise it is compiled again, and the cache
  // entry replaced with one that passes.
  const std::uint64_t seed = std::random_device{}();
  const auto sound = [&](const DatabasePtr& database, HsScratchPtr& scratch) {
    hs_scratch_t* allocated = nullptr;
    if (hs_alloc_scratch(database.get(), &allocated) != HS_SUCCESS) return false;
    scratch.reset(allocated);
    return database_recognises_rules(database.get(), scratch.get(), impl_->rules, rule_of_pattern, seed);
  };
  const auto cache_dir = database_cache_dir();
  const auto cache_file = cache_dir ? std::optional(database_cache_file(*cache_dir, request)) : std::nullopt;
  DatabasePtr database(cache_file ? load_cached_database(*cache_file) : nullptr);
  HsScratchPtr scratch;
  if (database && !sound(database, scratch)) {
    scratch.reset();
    database.reset();
  }
  if (!database) {
    database.reset(compile_database(request, impl_->rules, impl_->patterns));
    // A rule set whose own examples miss (a rule file under development) is
    // not cached: the next run could not tell its database from a bad one.
    if (sound(database, scratch) && cache_file) store_cached_database(*cache_file, database.get());
    if (!scratch) throw std::runtime_error("hs_alloc_scratch failed");
  }
  impl_->database = std::move(database);
  impl_->prototype = std::move(scratch);
  add_hex_databases(request, cache_dir, seed);
}

// The databases for texts without 32 and without 64 hex digits in a row:
// compiled (or loaded from the cache) like the full one, and used only
// once they agree with it on every example (database_agrees). A subset that
// fails is not used: those texts are scanned with the full database.
void Matcher::add_hex_databases(const DatabaseRequest& full, const std::optional<std::filesystem::path>& cache_dir,
                                std::uint64_t seed) {
  Impl& impl = *impl_;
  impl.by_hex.fill(impl.database.get());
  std::vector<std::size_t> required;
  for (const char* expression : full.expressions) required.push_back(required_hex_run(expression));
  std::size_t above = full.expressions.size();  // patterns of the tier above
  for (const auto& [tier, below] : {std::pair{HexRun::below_64, std::size_t{64}}, std::pair{HexRun::below_32, std::size_t{32}}}) {
    DatabaseRequest request;
    std::vector<bool> included(full.ids.size(), false);
    for (std::size_t i = 0; i < full.expressions.size(); ++i) {
      if (required[i] >= below) continue;
      request.expressions.push_back(full.expressions[i]);
      request.flags.push_back(full.flags[i]);
      request.ids.push_back(full.ids[i]);
      included[full.ids[i]] = true;
    }
    const auto index = static_cast<std::size_t>(tier);
    // The same patterns as the tier above (none needs 32 to 63 hex digits, say).
    const bool same = request.expressions.size() == above;
    above = request.expressions.size();
    if (same) {
      impl.by_hex[index] = impl.by_hex[index + 1];
      continue;
    }
    if (request.expressions.empty()) {
      impl.by_hex[index] = nullptr;
      continue;
    }
    const auto sound = [&](const DatabasePtr& database) {
      hs_scratch_t* scratch = nullptr;
      if (hs_alloc_scratch(database.get(), &scratch) != HS_SUCCESS) return false;
      HsScratchPtr own(scratch);
      return database_agrees(database.get(), own.get(), impl.database.get(), impl.prototype.get(), impl.rules, included,
                             seed);
    };
    const auto cache_file = cache_dir ? std::optional(database_cache_file(*cache_dir, request)) : std::nullopt;
    DatabasePtr database(cache_file ? load_cached_database(*cache_file) : nullptr);
    if (database && !sound(database)) database.reset();
    if (!database) {
      database.reset(compile_database(request, impl.rules, impl.patterns));
      if (!sound(database)) continue;  // the full database scans those texts
      if (cache_file) store_cached_database(*cache_file, database.get());
    }
    // The one scratch of each thread serves every database.
    hs_scratch_t* prototype = impl.prototype.release();
    const hs_error_t grown = hs_alloc_scratch(database.get(), &prototype);
    impl.prototype.reset(prototype);
    if (grown != HS_SUCCESS) throw std::runtime_error("hs_alloc_scratch failed");
    impl.by_hex[index] = database.get();
    impl.owned.push_back(std::move(database));
  }
}

Matcher::Matcher(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;

Matcher::Scratch Matcher::make_scratch() const {
  hs_scratch_t* clone = nullptr;
  if (hs_clone_scratch(impl_->prototype.get(), &clone) != HS_SUCCESS) throw std::runtime_error("hs_clone_scratch failed");
  auto impl = std::make_unique<Scratch::Impl>();
  impl->scratch.reset(clone);
  return Scratch(std::move(impl));
}

const std::vector<Rule>& Matcher::rules() const { return impl_->rules; }

bool Matcher::Impl::passes_checks(const Rule& rule, RuleCheck check, std::string_view text, std::size_t begin, std::size_t end,
                                  const MatchContext& context, Match& match) const {
  const std::string_view secret = text.substr(begin, end - begin);
  if (rule.unprefixed && (is_lockfile_path(context.path) || is_checksum_path(context.path) || is_placeholder(secret)))
    return false;
  if (check != RuleCheck::dsn && is_placeholder(credential_body(secret))) return false;
  switch (check) {
    case RuleCheck::none: return true;
    case RuleCheck::org_token: return (match.token = decode_org_token(secret)).has_value();
    case RuleCheck::dsn:
      return !escaped_path_continues(text, end) && (match.dsn = parse_dsn(secret)).has_value();
    case RuleCheck::sentry_key_param: return sentry_key_in_carrier(text, begin);
    case RuleCheck::sentry_context: return names_sentry_nearby(text, begin, end, context.path);
    case RuleCheck::sentry_api_context: return sentry_api_url_nearby(text, begin, end);
    case RuleCheck::ini_auth_section: return in_sentry_ini_auth_section(text, begin, context.path);
    case RuleCheck::not_digest_listing: return !in_digest_listing(text, begin);
  }
  return false;
}

void Matcher::Impl::confirm(std::string_view text, const Candidate& candidate, const MatchContext& context,
                            std::vector<Match>& out) const {
  if (candidate.pattern >= patterns.size()) return;  // not an id of ours: the database came from a cache
  const CompiledPattern& pattern = patterns[candidate.pattern];
  const CharSet& chars = token_chars[pattern.rule_index];
  // Hyperscan reports every end of a repeat (each digit of a DSN's project
  // id); when the secret ends at the candidate's end, the right-boundary test
  // below can reject all but the last before RE2 runs.
  if (pattern.secret_at_end && candidate.end < text.size() && chars[static_cast<unsigned char>(text[candidate.end])])
    return;
  const std::size_t from = candidate.end > pattern.window ? candidate.end - pattern.window : 0;
  const std::string_view window = text.substr(from, candidate.end - from);
  const Confirmation* confirmation = pattern.confirm();
  if (!confirmation) return;
  std::array<re2::StringPiece, 8> groups;
  const int group_count = std::min<int>(confirmation->secret_group + 1, static_cast<int>(groups.size()));
  if (confirmation->secret_group >= static_cast<int>(groups.size())) return;
  if (!confirmation->regex->Match(re2::StringPiece(window.data(), window.size()), 0, window.size(), RE2::UNANCHORED,
                                  groups.data(), group_count))
    return;
  const re2::StringPiece secret = groups[static_cast<std::size_t>(confirmation->secret_group)];
  if (secret.data() == nullptr || secret.empty()) return;
  const std::size_t begin = from + static_cast<std::size_t>(secret.data() - window.data());
  const std::size_t end = begin + secret.size();
  if (!left_boundary_ok(text, begin)) return;
  if (end < text.size() && chars[static_cast<unsigned char>(text[end])]) return;
  Match match;
  match.rule_index = pattern.rule_index;
  match.begin = begin;
  match.end = end;
  if (!passes_checks(rules[pattern.rule_index], pattern.check, text, begin, end, context, match)) return;
  out.push_back(std::move(match));
}

std::vector<Match> Matcher::find(std::string_view text, const MatchContext& context, Scratch& scratch,
                                 HexRun hex) const {
  auto& candidates = scratch.impl_->candidates;
  candidates.clear();
  const hs_database_t* database = impl_->by_hex[static_cast<std::size_t>(hex)];
  if (!database) return {};
  if (needs_padding(text)) {
    auto& padded = scratch.impl_->padded;
    padded.assign(text.begin(), text.end());
    padded.resize(text.size() + kOverreadSlack);
    text = std::string_view(padded.data(), text.size());
  }
  // Hyperscan takes 32-bit lengths; larger buffers go in overlapping slices.
  constexpr std::size_t kSlice = 1u << 30, kOverlap = 1u << 16;
  for (std::size_t offset = 0; offset < text.size() || offset == 0; offset += kSlice - kOverlap) {
    const std::size_t length = std::min(text.size() - offset, kSlice);
    std::vector<Candidate> slice;
    hs_scan(database, text.data() + offset, static_cast<unsigned>(length), 0,
            scratch.impl_->scratch.get(), collect_candidate, offset == 0 ? &candidates : &slice);
    for (auto c : slice) candidates.push_back({c.pattern, c.end + offset});
    if (offset + length >= text.size()) break;
  }
  std::vector<Match> matches;
  for (const Candidate& candidate : candidates) impl_->confirm(text, candidate, context, matches);
  if (scratch.impl_->padded.capacity() > (8u << 20)) std::vector<char>().swap(scratch.impl_->padded);
  // One finding per secret: drop duplicates and spans inside a longer (or
  // more severe, for equal spans) match.
  std::sort(matches.begin(), matches.end(), [&](const Match& a, const Match& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end > b.end;
    return impl_->rules[a.rule_index].severity > impl_->rules[b.rule_index].severity;
  });
  std::vector<Match> unique;
  for (auto& match : matches) {
    if (!unique.empty() && match.begin >= unique.back().begin && match.end <= unique.back().end) continue;
    unique.push_back(std::move(match));
  }
  return unique;
}

}  // namespace sentryscan
