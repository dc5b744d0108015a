// Thousands of findings on one line (minified bundles) must not make the
// per-finding bookkeeping (inline allows, line and column) quadratic.
#include <gtest/gtest.h>

#include <string>

#include "support/scan_text.h"
#include "support/fake_tokens.h"

namespace sentryscan::testing {
namespace {

// Many findings on one line used to rescan the whole line for
// `sentryscan:allow` once per finding.
TEST(HostileContent, ManyFindingsOnOneLineStayLinear) {
  std::string line;
  constexpr int kTokens = 40000;
  for (int i = 0; i < kTokens; ++i) line += fake_user_token("line" + std::to_string(i)) + " ";
  const auto start = Clock::now();
  auto findings = scan_text(line + "\n" + fake_user_token("next line") + " # sentryscan:allow\n", "min.js");
  EXPECT_LT(seconds_since(start), kLimitSeconds);
  ASSERT_EQ(findings.size(), kTokens + 1u);
  EXPECT_FALSE(findings[0].allowed_inline);
  EXPECT_FALSE(findings[kTokens - 1].allowed_inline);
  EXPECT_TRUE(findings[kTokens].allowed_inline);
  EXPECT_EQ(findings[kTokens - 1].location.line, 1u);
  EXPECT_EQ(findings[kTokens].location.line, 2u);
  EXPECT_EQ(findings[kTokens].location.end_column, findings[kTokens].secret.size());
}

}  // namespace
}  // namespace sentryscan::testing
