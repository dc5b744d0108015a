// The matcher with every default rule and structural check, over arbitrary
// bytes, plus the Scanner layer (UTF-16 transcoding, lines, columns,
// inline allows) that every source goes through.
//
// Input: the first byte picks a pretend file path (lockfiles and sentry-cli
// configs change which checks pass); the rest is the file content.
//
// Invariants:
// - every span lies inside the input, is non-empty, and re-matches its rule:
//   the rule's own confirm regex, run on the same window, yields that span;
//   org tokens and DSNs decode again from the span alone, to the same facts;
//   a prefixed token (sntry..) is found again when scanned on its own;
// - no finding is reported twice: spans are sorted, distinct and none lies
//   inside another;
// - scanning is deterministic; Scanner findings carry their exact secret
//   and sane 1-based line/column ranges.
#include <re2/re2.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "scan/scanner.h"
#include "fuzz_support.h"
#include "match/checks.h"
#include "match/matcher.h"
#include "rules/rule_loader.h"

namespace sentryscan::fuzz {
namespace {

constexpr std::array<std::string_view, 8> kPaths{
    "", "src/app.js", "poetry.lock", ".sentryclirc", "config/sentry.properties", "deploy/.env", "notes.ini",
    "home/.sentryclirc/x.txt"};

struct ConfirmPattern {
  std::size_t rule_index;
  std::size_t window;
  std::unique_ptr<RE2> regex;
  int secret_group;
};

struct State {
  Matcher matcher{default_rules()};
  Matcher::Scratch scratch = matcher.make_scratch();
  std::vector<ConfirmPattern> confirms;
  std::unique_ptr<Scanner> context;

  State() {
    const auto& rules = matcher.rules();
    for (std::size_t r = 0; r < rules.size(); ++r) {
      for (const auto& pattern : rules[r].patterns) {
        RE2::Options options;
        options.set_log_errors(false);
        auto regex = std::make_unique<RE2>("(?:" + pattern.confirm + ")\\z", options);
        const int group = regex->NamedCapturingGroups().at("secret");
        confirms.push_back({r, pattern.window, std::move(regex), group});
      }
    }
    context = std::make_unique<Scanner>(matcher, ScanLimits{1, 1ull << 30});
  }
};

State& state() {
  static State s;
  return s;
}

// The rule's own confirm regex, on the window the matcher used, finds this exact span.
bool rematches(const State& s, std::string_view text, const Match& match) {
  for (const auto& confirm : s.confirms) {
    if (confirm.rule_index != match.rule_index) continue;
    const std::size_t from = match.end > confirm.window ? match.end - confirm.window : 0;
    const std::string_view window = text.substr(from, match.end - from);
    std::vector<re2::StringPiece> groups(static_cast<std::size_t>(confirm.secret_group) + 1);
    if (!confirm.regex->Match(re2::StringPiece(window.data(), window.size()), 0, window.size(), RE2::UNANCHORED,
                              groups.data(), static_cast<int>(groups.size())))
      continue;
    const re2::StringPiece secret = groups[static_cast<std::size_t>(confirm.secret_group)];
    if (secret.data() == nullptr) continue;
    const std::size_t begin = from + static_cast<std::size_t>(secret.data() - window.data());
    if (begin == match.begin && begin + secret.size() == match.end) return true;
  }
  return false;
}

bool same_token(const TokenInfo& a, const TokenInfo& b) {
  return a.org == b.org && a.url == b.url && a.region_url == b.region_url && a.issued_at == b.issued_at;
}

bool same_dsn(const DsnInfo& a, const DsnInfo& b) {
  return a.host == b.host && a.port == b.port && a.path_prefix == b.path_prefix && a.project_id == b.project_id &&
         a.org_id == b.org_id && a.region == b.region && a.public_key == b.public_key && a.saas == b.saas &&
         a.has_secret == b.has_secret;
}

void check_matches(State& s, std::string_view text, std::string_view path) {
  const MatchContext context{path};
  const std::vector<Match> matches = s.matcher.find(text, context, s.scratch);
  const auto& rules = s.matcher.rules();
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const Match& m = matches[i];
    FUZZ_CHECK(m.rule_index < rules.size(), "rule index in range");
    FUZZ_CHECK(m.begin < m.end && m.end <= text.size(), "span inside the input and non-empty");
    FUZZ_CHECK(rematches(s, text, m), "span re-matches its rule's confirm regex");
    const std::string_view secret = text.substr(m.begin, m.end - m.begin);
    if (m.token) {
      const auto again = decode_org_token(secret);
      FUZZ_CHECK(again && same_token(*again, *m.token), "org token decodes again from its span");
    }
    if (m.dsn) {
      const auto again = parse_dsn(secret);
      FUZZ_CHECK(again && same_dsn(*again, *m.dsn), "DSN parses again from its span");
    }
    if (secret.starts_with("sntry")) {
      // Prefixed tokens need no context: alone, the same span is the same finding.
      const auto alone = s.matcher.find(secret, context, s.scratch);
      FUZZ_CHECK(alone.size() == 1 && alone[0].begin == 0 && alone[0].end == secret.size() &&
                     alone[0].rule_index == m.rule_index,
                 "a prefixed token is found again on its own");
    }
    if (i > 0) {
      const Match& prev = matches[i - 1];
      FUZZ_CHECK(prev.begin <= m.begin, "matches sorted by position");
      FUZZ_CHECK(!(prev.begin == m.begin && prev.end == m.end), "no span reported twice");
      for (std::size_t j = 0; j < i; ++j)
        FUZZ_CHECK(!(m.begin >= matches[j].begin && m.end <= matches[j].end), "no span inside another");
    }
  }
  const std::vector<Match> again = s.matcher.find(text, context, s.scratch);
  FUZZ_CHECK(again.size() == matches.size(), "deterministic");
  for (std::size_t i = 0; i < again.size(); ++i)
    FUZZ_CHECK(again[i].begin == matches[i].begin && again[i].end == matches[i].end &&
                   again[i].rule_index == matches[i].rule_index,
               "deterministic");
}

void check_scan_context(State& s, std::string_view text, std::string_view path) {
  Provenance provenance;
  provenance.path = std::string(path);
  const std::vector<Finding> findings = s.context->scan(0, Chunk{text, provenance}).findings;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    FUZZ_CHECK(!f.secret.empty(), "finding has a secret");
    FUZZ_CHECK(f.fingerprint.starts_with("sentryscan:v1:") && f.fingerprint.size() == 14 + 32, "fingerprint shape");
    const Location& loc = f.location;
    FUZZ_CHECK(loc.line >= 1 && loc.column >= 1, "1-based start");
    FUZZ_CHECK(loc.end_line > loc.line || (loc.end_line == loc.line && loc.end_column >= loc.column),
               "end not before start");
    for (std::size_t j = 0; j < i; ++j) {
      const Finding& g = findings[j];
      // The same credential at the same place once. (Decoding layers may
      // each report a different string starting there: a DSN read with its
      // escapes undone and, longer, with its %2F undone as well.)
      FUZZ_CHECK(!(g.location.line == loc.line && g.location.column == loc.column && g.rule_id == f.rule_id &&
                   g.secret == f.secret),
                 "no finding reported twice");
    }
  }
}

}  // namespace
}  // namespace sentryscan::fuzz

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace sentryscan::fuzz;
  if (size == 0) return 0;
  State& s = state();
  const std::string_view path = kPaths[data[0] % kPaths.size()];
  // libFuzzer hands over an exactly-sized heap copy: ASan catches any read past the end.
  const std::string_view text = as_text(data + 1, size - 1);
  check_matches(s, text, path);
  check_scan_context(s, text, path);
  return 0;
}
