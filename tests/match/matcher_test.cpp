#include <gtest/gtest.h>

#include "match/matcher.h"
#include "rules/rule_loader.h"
#include "support/scan_text.h"
#include "support/fake_tokens.h"

namespace sentryscan {
namespace {

using testing::fake_dsn;
using testing::fake_org_token;
using testing::fake_user_token;

class MatcherTest : public ::testing::Test {
 protected:
  static const Matcher& matcher() { return testing::default_matcher(); }
  std::vector<std::string> secrets(const std::string& text, std::string_view path = "") {
    auto scratch = matcher().make_scratch();
    std::vector<std::string> out;
    for (const auto& m : matcher().find(text, MatchContext{path}, scratch)) out.push_back(text.substr(m.begin, m.end - m.begin));
    return out;
  }
};

TEST_F(MatcherTest, AnyDelimiterMayFollowAToken) {
  const auto token = fake_user_token("delims");
  for (const std::string after : {",", ")", "&", "<", ";", "'", "\"", " ", "\n", "\\n", "\t", "]", "}", "|", ""}) {
    EXPECT_EQ(secrets("x=" + token + after), std::vector<std::string>{token}) << "followed by [" << after << "]";
  }
}

TEST_F(MatcherTest, LiteralEscapesBeforeATokenAreDelimiters) {
  const auto token = fake_user_token("escapes");
  EXPECT_EQ(secrets("\"a\\n" + token + "\""), std::vector<std::string>{token});
  EXPECT_EQ(secrets("\"\\u0022" + token + "\""), std::vector<std::string>{token});
  EXPECT_TRUE(secrets("an" + token).empty());
}

TEST_F(MatcherTest, OneFindingPerSecretWhenPatternsOverlap) {
  // SENTRY_AUTH_TOKEN=<hex> matches both the env-style and the authToken-style patterns.
  const std::string hex = testing::fake_hex("overlap", 64);
  EXPECT_EQ(secrets("SENTRY_AUTH_TOKEN=" + hex, "deploy.env"), std::vector<std::string>{hex});
}

TEST_F(MatcherTest, ManyTokensInOneBufferAreAllFoundInOrder) {
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 500; ++i) {
    const auto token = i % 2 ? fake_user_token("many" + std::to_string(i)) : fake_dsn("many" + std::to_string(i));
    expected.push_back(token);
    text += "k" + std::to_string(i) + " = \"" + token + "\"\n";
  }
  EXPECT_EQ(secrets(text), expected);
}

TEST_F(MatcherTest, OrgTokenCarriesDecodedPayload) {
  const auto token = fake_org_token("payload", testing::OrgTokenSpec{"acme", "https://sentry.io", "https://us.sentry.io", 1714521600.0});
  auto scratch = matcher().make_scratch();
  const auto matches = matcher().find("T=" + token, MatchContext{}, scratch);
  ASSERT_EQ(matches.size(), 1u);
  ASSERT_TRUE(matches[0].token);
  EXPECT_EQ(matches[0].token->org, "acme");
}

TEST_F(MatcherTest, DenseHexAndLockfilesStayQuiet) {
  std::string lock;
  for (int i = 0; i < 2000; ++i) lock += "  \"integrity\": \"sha256-" + testing::fake_hex(std::to_string(i), 64) + "\",\n";
  EXPECT_TRUE(secrets(lock).empty());
  std::string hex;
  for (int i = 0; i < 500; ++i) hex += testing::fake_hex("dense" + std::to_string(i), 64);
  EXPECT_TRUE(secrets(hex).empty());
}

TEST_F(MatcherTest, ExtraRulesFileAddsRules) {
  const auto rules = parse_rules(R"(
[[rule]]
id = "custom-sentry-proxy-key"
description = "Key for our internal Sentry proxy"
severity = "high"
[[rule.pattern]]
prefilter = 'sproxy_[a-z]{8}'
confirm = '(?P<secret>sproxy_[a-z]{8})'
)",
                                 "custom.toml");
  Matcher custom(rules);
  auto scratch = custom.make_scratch();
  const auto matches = custom.find("key=sproxy_abcdefgh;", MatchContext{}, scratch);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].begin, 4u);
}

TEST_F(MatcherTest, BadRuleFilesNameFileAndLine) {
  try {
    parse_rules("[[rule]]\nid = \"x\"\ndescription = \"d\"\nseverity = \"high\"\ncolour = 1\n", "bad.toml");
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("bad.toml:5"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos) << e.what();
  }
  const auto no_group = parse_rules(
      "[[rule]]\nid = \"x\"\ndescription = \"d\"\nseverity = \"high\"\n[[rule.pattern]]\nprefilter = 'a'\nconfirm = 'a'\n",
      "nogroup.toml");
  EXPECT_THROW(Matcher{no_group}, std::exception);
  // A rules file's regex is compiled when the Matcher is built, not on its
  // first candidate: the error names the file and the line.
  const auto bad_regex = parse_rules(
      "[[rule]]\nid = \"x\"\ndescription = \"d\"\nseverity = \"high\"\n[[rule.pattern]]\nprefilter = 'a'\n"
      "confirm = '(?P<secret>a'\n",
      "badregex.toml");
  try {
    Matcher matcher{bad_regex};
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("badregex.toml:5"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("confirm regex"), std::string::npos) << e.what();
  }
}

// The built-in rules' confirmation regexes are compiled lazily (matcher.cpp):
// each must compile and name its secret, or its rule would silently find nothing.
TEST(BuiltinRules, EveryConfirmationRegexCompilesAndNamesItsSecret) {
  const auto rules = default_rules();
  std::size_t patterns = 0;
  for (const Rule& rule : rules) {
    EXPECT_TRUE(rule.builtin) << rule.id;
    for (const RulePattern& pattern : rule.patterns) {
      ++patterns;
      EXPECT_EQ(confirmation_problem(pattern), "") << rule.id << " line " << pattern.line;
    }
  }
  EXPECT_GT(patterns, 10u);
  RulePattern broken;
  broken.confirm = "(?P<secret>[a-z]+";
  EXPECT_NE(confirmation_problem(broken), "");
  broken.confirm = "[a-z]+";
  EXPECT_NE(confirmation_problem(broken).find("no (?P<secret>"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan
