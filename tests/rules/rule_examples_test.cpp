// Every example in rules/*.toml must be found with its rule id and exact
// secret span; every counter-example must not produce a finding of its rule.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <set>

#include "match/matcher.h"
#include "rules/rule_loader.h"
#include "support/scan_text.h"

namespace sentryscan {
namespace {

std::string describe(const Rule& rule, const RuleExample& example) {
  return fmt::format("{} example at {}:{}", rule.id, rule.origin, example.line);
}

TEST(RuleExamples, EveryRuleOfTheSpecIsPresent) {
  std::set<std::string> ids;
  for (const auto& rule : testing::default_matcher().rules()) ids.insert(rule.id);
  for (const char* id : {"sentry-org-token", "sentry-user-token", "sentry-user-app-secret", "sentry-integration-token",
                         "sentry-legacy-token", "sentry-legacy-api-key", "sentry-dsn-secret", "sentry-dsn"})
    EXPECT_TRUE(ids.contains(id)) << id;
}

TEST(RuleExamples, EveryRuleHasExamplesAndCounterExamples) {
  for (const auto& rule : testing::default_matcher().rules()) {
    EXPECT_GE(rule.examples.size(), 1u) << rule.id;
    EXPECT_GE(rule.counter_examples.size(), 1u) << rule.id;
  }
}

TEST(RuleExamples, ExamplesAreFoundWithExactSpan) {
  const Matcher& matcher = testing::default_matcher();
  auto scratch = matcher.make_scratch();
  std::size_t checked = 0;
  for (const auto& rule : matcher.rules()) {
    for (const auto& example : rule.examples) {
      const auto matches = matcher.find(example.text, MatchContext{example.path}, scratch);
      bool found = false;
      for (const auto& m : matches) {
        if (matcher.rules()[m.rule_index].id != rule.id) continue;
        if (example.text.substr(m.begin, m.end - m.begin) == example.secret) found = true;
      }
      EXPECT_TRUE(found) << describe(rule, example) << " not found with its exact secret";
      ++checked;
    }
  }
  EXPECT_GT(checked, 30u);
}

TEST(RuleExamples, CounterExamplesAreNotFound) {
  const Matcher& matcher = testing::default_matcher();
  auto scratch = matcher.make_scratch();
  for (const auto& rule : matcher.rules()) {
    for (const auto& example : rule.counter_examples) {
      for (const auto& m : matcher.find(example.text, MatchContext{example.path}, scratch)) {
        EXPECT_NE(matcher.rules()[m.rule_index].id, rule.id)
            << describe(rule, example) << " matched: " << example.text.substr(m.begin, m.end - m.begin);
      }
    }
  }
}

// Examples must also hold when the text is embedded at the start, middle and
// end of a larger buffer (no reliance on buffer edges).
TEST(RuleExamples, ExamplesAreFoundInsideLargerText) {
  const Matcher& matcher = testing::default_matcher();
  auto scratch = matcher.make_scratch();
  const std::string filler(5000, 'z');
  for (const auto& rule : matcher.rules()) {
    for (const auto& example : rule.examples) {
      const std::string text = filler + "\n" + example.text + "\n" + filler;
      bool found = false;
      for (const auto& m : matcher.find(text, MatchContext{example.path}, scratch))
        if (matcher.rules()[m.rule_index].id == rule.id && text.substr(m.begin, m.end - m.begin) == example.secret)
          found = true;
      EXPECT_TRUE(found) << describe(rule, example);
    }
  }
}

}  // namespace
}  // namespace sentryscan
