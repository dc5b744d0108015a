#include "match/database_check.h"

#include <algorithm>
#include <string_view>

namespace sentryscan {
namespace {

constexpr std::size_t kVaried = 32;  // the shortest key material of a rule (a DSN key) is 32 hex digits

// How code mentions Sentry, with no value that any rule may take.
constexpr std::string_view kNeutral =
    "import os, sentry_sdk\nsentry_sdk.init(dsn=os.environ[\"SENTRY_DSN\"])  # no credential here\n";

// Debian's Hyperscan reads a few bytes past the end of a buffer (see
// needs_padding in matcher.cpp): every text is scanned with slack after it.
constexpr std::size_t kOverreadSlack = 64;

bool is_ascii_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char same_kind(char c, std::mt19937_64& random) {
  const auto pick = [&](char first, char last) {
    return static_cast<char>(first + std::uniform_int_distribution<int>(0, last - first)(random));
  };
  if (c >= '0' && c <= '9') return pick('0', '9');
  if (c >= 'a' && c <= 'f') return pick('a', 'f');
  if (c >= 'g' && c <= 'z') return pick('g', 'z');
  if (c >= 'A' && c <= 'F') return pick('A', 'F');
  if (c >= 'G' && c <= 'Z') return pick('G', 'Z');
  return c;
}

struct Hits {
  const std::vector<std::size_t>& rule_of_pattern;
  std::vector<bool>& covered;  // by pattern id: matched by one of its rule's examples
  std::size_t rule;            // whose patterns count as own
  bool own = false;
  bool any = false;
  bool unknown_id = false;
};

int on_match(unsigned id, unsigned long long, unsigned long long, unsigned, void* context) {
  auto& hits = *static_cast<Hits*>(context);
  hits.any = true;
  if (id >= hits.rule_of_pattern.size()) {
    hits.unknown_id = true;
    return 1;  // stop: not a database of these rules
  }
  if (hits.rule_of_pattern[id] == hits.rule) hits.own = hits.covered[id] = true;
  return 0;
}

}  // namespace

std::string vary_example(const RuleExample& example, std::mt19937_64& random) {
  std::string text = example.text;
  const std::size_t at = example.secret.empty() ? std::string::npos : text.find(example.secret);
  if (at == std::string::npos) return text;
  const std::size_t end = at + example.secret.size();
  for (std::size_t i = at; i < end;) {
    if (!is_ascii_alnum(text[i])) {
      ++i;
      continue;
    }
    std::size_t run_end = i;
    while (run_end < end && is_ascii_alnum(text[run_end])) ++run_end;
    if (run_end - i >= kVaried)
      for (std::size_t k = run_end - kVaried; k < run_end; ++k) text[k] = same_kind(text[k], random);
    i = run_end;
  }
  return text;
}

bool database_recognises_rules(const hs_database_t* database, hs_scratch_t* scratch, const std::vector<Rule>& rules,
                               const std::vector<std::size_t>& rule_of_pattern, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string buffer;
  const auto scan = [&](std::string_view text, Hits& hits) {
    buffer.assign(text);
    buffer.append(kOverreadSlack, '\0');
    const hs_error_t status =
        hs_scan(database, buffer.data(), static_cast<unsigned>(text.size()), 0, scratch, on_match, &hits);
    return (status == HS_SUCCESS || status == HS_SCAN_TERMINATED) && !hits.unknown_id;
  };
  std::vector<bool> covered(rule_of_pattern.size(), false);
  for (std::size_t r = 0; r < rules.size(); ++r) {
    for (const RuleExample& example : rules[r].examples) {
      Hits hits{rule_of_pattern, covered, r};
      if (!scan(vary_example(example, random), hits) || !hits.own) return false;
    }
  }
  // Every pattern of a rule with examples must be alive: a database could
  // otherwise drop one form (say percent-encoded DSNs) and pass on the others.
  for (std::size_t id = 0; id < rule_of_pattern.size(); ++id)
    if (!covered[id] && !rules.at(rule_of_pattern[id]).examples.empty()) return false;
  Hits neutral{rule_of_pattern, covered, rules.size()};
  return scan(kNeutral, neutral) && !neutral.any;
}

namespace {

int collect_id(unsigned id, unsigned long long, unsigned long long, unsigned, void* context) {
  static_cast<std::vector<unsigned>*>(context)->push_back(id);
  return 0;
}

}  // namespace

bool database_agrees(const hs_database_t* subset, hs_scratch_t* subset_scratch, const hs_database_t* full,
                     hs_scratch_t* full_scratch, const std::vector<Rule>& rules, const std::vector<bool>& included,
                     std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string buffer;
  const auto ids = [&](const hs_database_t* database, hs_scratch_t* scratch, std::vector<unsigned>& out) {
    out.clear();
    const hs_error_t status = hs_scan(database, buffer.data(), static_cast<unsigned>(buffer.size() - kOverreadSlack),
                                      0, scratch, collect_id, &out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return status == HS_SUCCESS;
  };
  const auto agree = [&](std::string_view text) {
    buffer.assign(text);
    buffer.append(kOverreadSlack, '\0');
    std::vector<unsigned> from_full, from_subset;
    if (!ids(full, full_scratch, from_full) || !ids(subset, subset_scratch, from_subset)) return false;
    std::erase_if(from_full, [&](unsigned id) { return id >= included.size() || !included[id]; });
    return from_full == from_subset;
  };
  for (const Rule& rule : rules)
    for (const RuleExample& example : rule.examples)
      if (!agree(vary_example(example, random))) return false;
  return agree(kNeutral);
}

}  // namespace sentryscan
