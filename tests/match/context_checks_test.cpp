// Context checks run once per candidate; each must look a bounded distance,
// or a file full of candidates makes the scan quadratic (a hang in practice).
#include <gtest/gtest.h>

#include <string>

#include "match/checks.h"

#include "support/scan_text.h"
#include "support/fake_tokens.h"

namespace sentryscan::testing {
namespace {

// Each `sentry_key=` candidate used to search back to the start of its line
// (quadratic in a long minified line), and each `token=` candidate walked back
// line by line to its section header (quadratic in a file of many INI keys).
// The checks run once per candidate, so each must cost a bounded amount.
TEST(HostileContent, ContextChecksLookABoundedDistanceBack) {
  const std::string key = fake_hex("real", 32);
  const std::string long_line = std::string(32 << 20, 'x') + " sentry_key=" + key;
  std::string many_lines = "[auth]\n";
  while (many_lines.size() < (16u << 20)) many_lines += "x=1\n";
  many_lines += "token=" + fake_hex("far", 64) + "\n";
  const std::size_t token_at = many_lines.size() - 65;
  const auto start = Clock::now();
  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(sentry_key_in_carrier(long_line, long_line.size() - key.size()));
    ASSERT_FALSE(in_sentry_ini_auth_section(many_lines, token_at, ".sentryclirc"));
  }
  EXPECT_LT(seconds_since(start), kLimitSeconds);
  // Close by, both still see their context.
  const std::string header = "X-Sentry-Auth: Sentry sentry_key=" + key;
  EXPECT_TRUE(sentry_key_in_carrier(header, header.size() - key.size()));
  const std::string ini = "[auth]\nurl=x\ntoken=" + fake_hex("near", 64) + "\n";
  EXPECT_TRUE(in_sentry_ini_auth_section(ini, ini.find("token=") + 6, ".sentryclirc"));
}

// A file of many INI keys: every key in a section is found.
TEST(HostileContent, ManyIniSectionsAreAllFound) {
  std::string text;
  constexpr int kSections = 3000;
  for (int i = 0; i < kSections; ++i) text += "[auth]\ntoken=" + fake_hex("ini" + std::to_string(i), 64) + "\nx=1\n";
  const auto start = Clock::now();
  const auto findings = scan_text(text, "home/.sentryclirc");
  EXPECT_LT(seconds_since(start), kLimitSeconds);
  ASSERT_EQ(findings.size(), static_cast<std::size_t>(kSections));
  EXPECT_EQ(findings.back().secret, fake_hex("ini" + std::to_string(kSections - 1), 64));
}

}  // namespace
}  // namespace sentryscan::testing
