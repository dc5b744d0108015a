// The matcher leaves out of a text's scan the prefilters that need more hex
// digits in a row than the text holds (HexRun). These tests show that the
// smaller databases are really used (a DSN is not found when the caller
// says there is no run of 32) and that an honest hint never changes what is
// found, on every example of every rule and on generated credentials.
#include <gtest/gtest.h>

#include <hs/hs.h>

#include <cctype>
#include <string>
#include <vector>

#include "match/database_check.h"
#include "match/matcher.h"
#include "support/fake_tokens.h"
#include "support/scan_text.h"

namespace sentryscan {
namespace {

std::size_t longest_hex_run(std::string_view text) {
  std::size_t run = 0, longest = 0;
  for (const char c : text) {
    run = std::isxdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

HexRun honest(std::string_view text) {
  const std::size_t longest = longest_hex_run(text);
  return longest >= 64 ? HexRun::unknown : longest >= 32 ? HexRun::below_64 : HexRun::below_32;
}

std::vector<std::string> secrets(std::string_view text, HexRun hex, std::string_view path = "") {
  auto scratch = testing::default_matcher().make_scratch();
  std::vector<std::string> out;
  for (const Match& m : testing::default_matcher().find(text, MatchContext{path}, scratch, hex))
    out.emplace_back(text.substr(m.begin, m.end - m.begin));
  return out;
}

TEST(RequiredHexRun, ReadsExactCountsOutsideGroups) {
  EXPECT_EQ(required_hex_run("sntryu_[0-9a-fA-F]{64}"), 64u);
  EXPECT_EQ(required_hex_run("https?://[0-9a-fA-F]{32}:?@[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~-]+)*/[0-9]+"), 32u);
  EXPECT_EQ(required_hex_run("(?i)(?:^|\\n)[ \\t]*token[ \\t]*=[ \\t]*[0-9a-f]{64}"), 64u);
  EXPECT_EQ(required_hex_run("key=[a-fA-F0-9]{32}:[0-9a-fA-F]{40}"), 40u);
  // Not every match holds them: in a group, after an alternation, a wider
  // class, a range of counts, a negated class.
  EXPECT_EQ(required_hex_run("x(?:[0-9a-f]{64})?"), 0u);
  EXPECT_EQ(required_hex_run("a[0-9a-f]{64}|b"), 0u);
  EXPECT_EQ(required_hex_run("[0-9a-z]{64}"), 0u);
  EXPECT_EQ(required_hex_run("[0-9a-f]{32,64}"), 0u);
  EXPECT_EQ(required_hex_run("[^0-9a-f]{64}"), 0u);
  EXPECT_EQ(required_hex_run("sntrys_eyJpYXQiO[A-Za-z0-9+/]*={0,2}_[A-Za-z0-9+/]{43}"), 0u);
  EXPECT_EQ(required_hex_run("\\[0-9a-f]{64}"), 0u);  // an escaped bracket, not a class
}

// Every prefilter of the default rules needs 0, 32 or 64 hex digits: the
// tiers the matcher builds. A new rule needing another count still works
// (it is left out below its count), but this says the tiers were thought about.
TEST(RequiredHexRun, DefaultRulesNeedNoneThirtyTwoOrSixtyFour) {
  for (const Rule& rule : testing::default_matcher().rules())
    for (const RulePattern& pattern : rule.patterns) {
      const std::size_t need = required_hex_run(pattern.prefilter);
      EXPECT_TRUE(need == 0 || need == 32 || need == 64) << rule.id << ": " << pattern.prefilter;
    }
}

TEST(HexRunHint, SmallerDatabasesLeaveThosePrefiltersOut) {
  const std::string dsn = testing::fake_dsn("hex-tier");
  const std::string token = testing::fake_user_token("hex-tier");
  const std::string text = "dsn = \"" + dsn + "\"\ntoken = \"" + token + "\"\n";
  EXPECT_EQ(secrets(text, HexRun::unknown), (std::vector<std::string>{dsn, token}));
  EXPECT_EQ(secrets(text, HexRun::below_64), std::vector<std::string>{dsn});
  EXPECT_TRUE(secrets(text, HexRun::below_32).empty());
  // An org token needs no hex run: found with the smallest database.
  const std::string org = testing::fake_org_token("hex-tier");
  EXPECT_EQ(secrets("T=" + org, HexRun::below_32), std::vector<std::string>{org});
}

TEST(HexRunHint, HonestHintsChangeNothingOnTheRulesExamples) {
  std::size_t checked = 0;
  for (const Rule& rule : testing::default_matcher().rules())
    for (const RuleExample& example : rule.examples) {
      EXPECT_EQ(secrets(example.text, honest(example.text), example.path),
                secrets(example.text, HexRun::unknown, example.path))
          << rule.id << " line " << example.line;
      ++checked;
    }
  EXPECT_GT(checked, 20u);
}

TEST(HexRunHint, HonestHintsAtRunLengthEdges) {
  // Keys of 31-33 and 63-65 hex digits after names that rules know.
  for (std::size_t length : {31u, 32u, 33u, 63u, 64u, 65u}) {
    const std::string hex = testing::fake_hex("edge" + std::to_string(length), length);
    for (const std::string& text : {"SENTRY_AUTH_TOKEN=" + hex + "\n", "https://" + hex + "@o1.ingest.sentry.io/42\n",
                                    "sentry_key=" + hex + "&x=1", "sntryu_" + hex + "\n"}) {
      EXPECT_EQ(secrets(text, honest(text), ".env"), secrets(text, HexRun::unknown, ".env")) << text;
    }
  }
}

// A cached subset database is used only when it agrees with the full one.
TEST(HexRunHint, DatabaseAgreementRejectsAnotherSubset) {
  const auto compile = [](const std::vector<const char*>& expressions, const std::vector<unsigned>& ids) {
    hs_database_t* db = nullptr;
    hs_compile_error_t* error = nullptr;
    const std::vector<unsigned> flags(expressions.size(), 0);
    EXPECT_EQ(hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(expressions.size()),
                               HS_MODE_BLOCK, nullptr, &db, &error),
              HS_SUCCESS);
    return db;
  };
  std::vector<const char*> expressions;
  std::vector<unsigned> ids;
  std::vector<std::size_t> rule_of_pattern;
  const auto& rules = testing::default_matcher().rules();
  for (std::size_t r = 0; r < rules.size(); ++r)
    for (const RulePattern& pattern : rules[r].patterns) {
      ids.push_back(static_cast<unsigned>(expressions.size()));
      expressions.push_back(pattern.prefilter.c_str());
      rule_of_pattern.push_back(r);
    }
  hs_database_t* full = compile(expressions, ids);
  std::vector<const char*> below_64;
  std::vector<unsigned> below_64_ids;
  std::vector<bool> included(ids.size(), false);
  for (std::size_t i = 0; i < expressions.size(); ++i)
    if (required_hex_run(expressions[i]) < 64) {
      below_64.push_back(expressions[i]);
      below_64_ids.push_back(ids[i]);
      included[i] = true;
    }
  hs_database_t* subset = compile(below_64, below_64_ids);
  // Another database under the subset's name: a pattern that matches nothing of ours.
  hs_database_t* other = compile({"never-a-sentry-credential-[0-9]{5}"}, {below_64_ids.front()});
  hs_scratch_t* scratch = nullptr;
  for (hs_database_t* db : {full, subset, other}) ASSERT_EQ(hs_alloc_scratch(db, &scratch), HS_SUCCESS);
  EXPECT_TRUE(database_recognises_rules(full, scratch, rules, rule_of_pattern, 5));
  EXPECT_TRUE(database_agrees(subset, scratch, full, scratch, rules, included, 5));
  EXPECT_FALSE(database_agrees(other, scratch, full, scratch, rules, included, 5));
  // The full database is no "subset without the 64-hex prefilters" either.
  EXPECT_FALSE(database_agrees(full, scratch, full, scratch, rules, included, 5));
  hs_free_scratch(scratch);
  for (hs_database_t* db : {full, subset, other}) hs_free_database(db);
}

}  // namespace
}  // namespace sentryscan
