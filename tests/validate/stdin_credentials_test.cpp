// Classifying the lines of `sentryscan validate` by shape.
#include <gtest/gtest.h>

#include <sstream>

#include "support/fake_tokens.h"
#include "match/checks.h"
#include "validate/stdin_credentials.h"

namespace sentryscan::testing {
namespace {

using validate::classify_credential;

TEST(StdinCredentials, ClassifiesByShape) {
  EXPECT_EQ(classify_credential(fake_org_token("o")).rule_id, "sentry-org-token");
  EXPECT_EQ(classify_credential(fake_user_token("u")).rule_id, "sentry-user-token");
  EXPECT_EQ(classify_credential(fake_prefixed_token("sntrya_", "a")).rule_id, "sentry-user-app-secret");
  EXPECT_EQ(classify_credential(fake_prefixed_token("sntryi_", "i")).rule_id, "sentry-integration-token");
  EXPECT_EQ(classify_credential(fake_hex("legacy", 64)).rule_id, "sentry-legacy-token");
  EXPECT_EQ(classify_credential(fake_hex("key", 32)).rule_id, "sentry-legacy-api-key");
  EXPECT_EQ(classify_credential(fake_dsn("d")).rule_id, "sentry-dsn");
  EXPECT_EQ(classify_credential("https://" + fake_hex("p", 32) + ":" + fake_hex("s", 32) + "@sentry.internal.test/3")
                .rule_id,
            "sentry-dsn-secret");
  for (const std::string& text : {std::string("hello"), fake_user_token("u") + "x", fake_hex("x", 40),
                                 std::string("sntrys_notbase64_") + std::string(43, 'A'), std::string("https://a@b/c")})
    EXPECT_EQ(classify_credential(text).rule_id, validate::kUnrecognized) << text;
}

TEST(StdinCredentials, OrgTokenPayloadIsDecoded) {
  const auto credential =
      classify_credential(fake_org_token("o", {.org = "acme", .url = "null", .region_url = ""}));
  ASSERT_TRUE(credential.token);
  EXPECT_EQ(credential.token->org, "acme");
  EXPECT_FALSE(credential.token->url);
  EXPECT_EQ(credential.token->issued_at, "2024-05-01T00:00:00Z");
}

TEST(StdinCredentials, LinesAreTrimmedBlankLinesDroppedRepeatsMerged) {
  const auto token = fake_user_token("lines");
  std::istringstream in("\r\n  " + token + "\r\n\n" + token + "\n\t\n" + fake_hex("k", 32) + "\r\n");
  const auto lines = validate::read_credential_lines(in);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], token);
  EXPECT_EQ(lines[1], fake_hex("k", 32));
}

TEST(StdinCredentials, ExitCodes) {
  using validate::CheckedCredential;
  auto entry = [](std::string rule, ValidationStatus status) {
    return CheckedCredential{{std::move(rule), "x", {}}, Validation{status, 0, ""}};
  };
  EXPECT_EQ(validate::checked_exit_code({entry("sentry-user-token", ValidationStatus::revoked),
                                         entry("sentry-dsn", ValidationStatus::skipped)}),
            0);
  EXPECT_EQ(validate::checked_exit_code({entry("sentry-user-token", ValidationStatus::unknown),
                                         entry("sentry-user-token", ValidationStatus::live)}),
            1);
  EXPECT_EQ(validate::checked_exit_code({entry("sentry-user-token", ValidationStatus::unknown)}), 3);
  EXPECT_EQ(validate::checked_exit_code({entry("sentry-org-token", ValidationStatus::skipped)}), 3);
  EXPECT_EQ(validate::checked_exit_code({entry(std::string(validate::kUnrecognized), ValidationStatus::skipped)}), 3);
}

}  // namespace
}  // namespace sentryscan::testing
