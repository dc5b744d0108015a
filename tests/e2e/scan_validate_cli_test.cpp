// --validate on the scanning commands, as a real process: the same token in
// many files is asked once, the validation object reaches the report, and
// without --validate no request is made at all.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"
#include "support/fake_sentry.h"

namespace sentryscan::testing {
namespace {

CliResult scan(const TempDir& dir, const FakeSentry& sentry, std::vector<std::string> extra) {
  std::vector<std::string> args = {"scan", dir.path().string(), "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  CliOptions options;
  options.env = {{"SENTRYSCAN_SAAS_URL", sentry.url()}};
  return run_sentryscan(args, options);
}

TEST(ScanValidate, WithoutValidateNoRequestIsMade) {
  FakeSentry sentry;
  TempDir dir;
  const auto token = fake_user_token("offline-scan");
  dir.write("a.env", "SENTRY_AUTH_TOKEN=" + token + "\n");
  const auto result = scan(dir, sentry, {"--allow-insecure-http"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(sentry.count(), 0u);
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json.size(), 1u) << result.out;
  EXPECT_EQ(json[0]["validation"]["status"], "not_checked");
}

TEST(ScanValidate, EachSecretIsAskedOnceAndTheResultIsReported) {
  FakeSentry sentry([](const httplib::Request& req, httplib::Response& res) {
    const bool org = req.get_header_value("Authorization").find("sntrys_") != std::string::npos;
    res.status = org ? 401 : 200;
    res.set_content(org ? R"({"detail":"Invalid token"})" : "{}", "application/json");
  });
  TempDir dir;
  const auto user = fake_user_token("scan-user");
  const auto org = fake_org_token("scan-org");
  for (int i = 0; i < 10; ++i)
    dir.write("f" + std::to_string(i) + ".env", "SENTRY_AUTH_TOKEN=" + user + "\nORG=" + org + "\n");
  const auto result = scan(dir, sentry, {"--validate", "--allow-insecure-http", "--validate-timeout", "1"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(sentry.count(), 2u);
  EXPECT_EQ(result.out.find(user), std::string::npos);
  EXPECT_EQ(result.err.find(user), std::string::npos);
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json.size(), 20u) << result.out;
  for (const auto& finding : json) {
    const std::string expected = finding["rule_id"] == "sentry-org-token" ? "revoked" : "live";
    EXPECT_EQ(finding["validation"]["status"], expected) << finding.dump();
  }

  const auto live_only = scan(dir, sentry, {"--validate", "--only-live", "--allow-insecure-http"});
  const auto kept = nlohmann::json::parse(live_only.out);
  EXPECT_EQ(kept.size(), 10u);
  for (const auto& finding : kept) EXPECT_EQ(finding["rule_id"], "sentry-user-token");
}

TEST(ScanValidate, BadValidationSettingsNeverCrashOrPass) {
  FakeSentry sentry;
  TempDir dir;
  dir.write("a.txt", "nothing here\n");
  const auto result = scan(dir, sentry, {"--validate", "--allow-insecure-http", "--sentry-url", "https://sentry.io@evil.com"});
  EXPECT_TRUE(result.exit_code == 2 || result.exit_code == 3) << result.exit_code << result.err;
  EXPECT_NE((result.out + result.err).find("--sentry-url"), std::string::npos) << result.out << result.err;
  EXPECT_EQ(sentry.count(), 0u);
}

}  // namespace
}  // namespace sentryscan::testing
