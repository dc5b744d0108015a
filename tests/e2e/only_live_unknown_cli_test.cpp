// `scan --validate --only-live` as a real process: a credential that could
// not be checked (`unknown`) is never hidden and never reads as "nothing
// found"; it makes the run incomplete (exit 3) unless something live fails
// it. Revoked and skipped findings are left out, but counted.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"
#include "support/fake_sentry.h"

namespace sentryscan::testing {
namespace {

// A local port nobody listens on: a server is started to get a free port,
// then stopped, so every connection is refused.
std::string closed_port_url() {
  FakeSentry gone;
  return gone.url();
}

CliResult scan_only_live(const TempDir& dir, const std::string& saas_url, std::vector<std::string> extra) {
  std::vector<std::string> args = {"scan", dir.path().string(), "--no-color", "--validate", "--only-live",
                                   "--allow-insecure-http", "--validate-timeout", "2"};
  args.insert(args.end(), extra.begin(), extra.end());
  CliOptions options;
  options.env = {{"SENTRYSCAN_SAAS_URL", saas_url}};
  return run_sentryscan(args, options);
}

TEST(OnlyLiveUnknown, UnreachableApiIsIncompleteInEveryFormat) {
  TempDir dir;
  const auto token = fake_user_token("only-live-unreachable");
  dir.write("a.env", "SENTRY_AUTH_TOKEN=" + token + "\n");
  const std::string url = closed_port_url();

  const auto text = scan_only_live(dir, url, {"--format", "text"});
  EXPECT_EQ(text.exit_code, 3) << text.out << text.err;
  EXPECT_EQ(text.out.find("no Sentry credentials found"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("no live Sentry credentials found"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("1 could not be checked (unknown)"), std::string::npos) << text.out;
  EXPECT_NE(text.err.find("1 finding could not be checked"), std::string::npos) << text.err;
  EXPECT_EQ((text.out + text.err).find(token), std::string::npos) << "the secret is never printed";

  // json: the unknown finding stays in the array, visible as such.
  const auto json = scan_only_live(dir, url, {"--format", "json"});
  EXPECT_EQ(json.exit_code, 3) << json.err;
  EXPECT_NE(json.err.find("could not be checked"), std::string::npos) << json.err;
  const auto findings = nlohmann::json::parse(json.out);
  ASSERT_EQ(findings.size(), 1u) << json.out;
  EXPECT_EQ(findings[0]["validation"]["status"], "unknown");

  const auto sarif = scan_only_live(dir, url, {"--format", "sarif"});
  EXPECT_EQ(sarif.exit_code, 3) << sarif.err;
  const auto run = nlohmann::json::parse(sarif.out)["runs"][0];
  EXPECT_EQ(run["results"].size(), 1u) << sarif.out;
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], false) << sarif.out;

  const auto github = scan_only_live(dir, url, {"--format", "github"});
  EXPECT_EQ(github.exit_code, 3) << github.err;
  EXPECT_NE(github.out.find("validation: unknown"), std::string::npos) << github.out;
  EXPECT_NE(github.out.find("could not be checked"), std::string::npos) << github.out;
}

TEST(OnlyLiveUnknown, UnknownBelowFailOnIsIncompleteWithoutOnlyLiveToo) {
  TempDir dir;
  dir.write("a.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("below-fail-on") + "\n");  // high
  CliOptions options;
  options.env = {{"SENTRYSCAN_SAAS_URL", closed_port_url()}};
  const auto result = run_sentryscan({"scan", dir.path().string(), "--validate", "--allow-insecure-http",
                                      "--validate-timeout", "2", "--fail-on", "critical"},
                                     options);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("could not be checked"), std::string::npos) << result.err;
}

TEST(OnlyLiveUnknown, LiveFailsTheRun) {
  FakeSentry sentry(answer_live());
  TempDir dir;
  dir.write("a.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("only-live-live") + "\n");
  const auto result = scan_only_live(dir, sentry.url(), {});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("(1 live at or above --fail-on medium)"), std::string::npos) << result.out;
  EXPECT_EQ(sentry.count(), 1u);
}

TEST(OnlyLiveUnknown, LiveAndUnknownTogetherFail) {
  // The user token is live; the legacy token gets a 503 and stays unknown.
  FakeSentry sentry([](const httplib::Request& req, httplib::Response& res) {
    const bool user = req.get_header_value("Authorization").find("sntryu_") != std::string::npos;
    res.status = user ? 200 : 503;
    res.set_content("{}", "application/json");
  });
  TempDir dir;
  dir.write("a.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("mixed") + "\nSENTRY_TOKEN=" + fake_hex("mixed", 64) + "\n");
  const auto result = scan_only_live(dir, sentry.url(), {"--format", "json"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto findings = nlohmann::json::parse(result.out);
  ASSERT_EQ(findings.size(), 2u) << result.out;
  std::multiset<std::string> statuses;
  for (const auto& f : findings) statuses.insert(f["validation"]["status"].get<std::string>());
  EXPECT_EQ(statuses, (std::multiset<std::string>{"live", "unknown"}));
  EXPECT_NE(result.err.find("1 finding could not be checked"), std::string::npos) << result.err;
}

TEST(OnlyLiveUnknown, RevokedOnlyPassesAndSaysHowManyWereLeftOut) {
  FakeSentry sentry(answer_revoked());
  TempDir dir;
  dir.write("a.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("revoked-a") + "\nSENTRY_TOKEN=" + fake_user_token("revoked-b") + "\n");
  const auto result = scan_only_live(dir, sentry.url(), {});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("no live Sentry credentials found"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("--only-live left out 2 revoked and 0 skipped"), std::string::npos) << result.out;
  EXPECT_EQ(sentry.count(), 2u);
}

TEST(OnlyLiveUnknown, SkippedOnlyIsADecisionNotAFailure) {
  FakeSentry sentry;
  TempDir dir;
  dir.write("app.js", "Sentry.init({dsn: '" + fake_dsn("only-live-skipped") + "'});\n");
  // --fail-on low: without --only-live the DSN would fail the run.
  const auto result = scan_only_live(dir, sentry.url(), {"--fail-on", "low"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("1 skipped; --only-live left out 0 revoked and 1 skipped"), std::string::npos)
      << result.out;
  EXPECT_EQ(result.err.find("could not be checked"), std::string::npos) << result.err;
  EXPECT_EQ(sentry.count(), 0u) << "a DSN is never sent anywhere";
}

TEST(OnlyLiveUnknown, ValidateCommandKeepsUnknownCredentialsListed) {
  CliOptions options;
  options.stdin_text = fake_user_token("validate-unreachable") + "\n";
  options.env = {{"SENTRYSCAN_SAAS_URL", closed_port_url()}};
  const auto result = run_sentryscan(
      {"validate", "--only-live", "--allow-insecure-http", "--validate-timeout", "2"}, options);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.out.find("sentry-user-token  unknown"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace sentryscan::testing
