// `sentryscan validate` as a real process, against local servers that play
// the Sentry API (SENTRYSCAN_SAAS_URL points the SaaS base at them).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"
#include "support/fake_sentry.h"

namespace sentryscan::testing {
namespace {

CliResult validate_cli(const std::string& saas_url, const std::string& stdin_text,
                       std::vector<std::string> extra_args = {}) {
  std::vector<std::string> args = {"validate", "--allow-insecure-http", "--validate-timeout", "1"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return run_sentryscan(args, {.cwd = {}, .stdin_text = stdin_text, .env = {{"SENTRYSCAN_SAAS_URL", saas_url}}});
}

void expect_no_secret(const CliResult& result, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    EXPECT_EQ(result.out.find(secret), std::string::npos) << "secret on stdout: " << result.out;
    EXPECT_EQ(result.err.find(secret), std::string::npos) << "secret on stderr: " << result.err;
  }
}

// Live for user and org tokens, revoked for unprefixed ones, Basic-auth aware.
SentryHandler mixed_answers() {
  return [](const httplib::Request& req, httplib::Response& res) {
    const auto auth = req.get_header_value("Authorization");
    if (req.path == "/api/0/") {
      res.status = 200;
      res.set_content(R"({"version":"0","auth":{"scopes":[]}})", "application/json");
    } else if (auth.find("sntry") != std::string::npos) {
      res.status = 200;
      res.set_content("{}", "application/json");
    } else {
      res.status = 401;
      res.set_content(R"({"detail":"Invalid token"})", "application/json");
    }
  };
}

TEST(ValidateCli, MixedCredentialsFromStdin) {
  FakeSentry sentry(mixed_answers());
  const std::vector<std::string> secrets = {
      fake_user_token("cli-user"), fake_org_token("cli-org"), fake_hex("cli-legacy", 64), fake_hex("cli-key", 32),
      fake_dsn("cli-dsn"), fake_prefixed_token("sntrya_", "cli-app")};
  std::string input = "\n";
  for (const auto& s : secrets) input += "  " + s + "\r\n\n";
  input += secrets[0] + "\n";  // repeated: asked once
  input += "not-a-credential\n";

  const auto result = validate_cli(sentry.url(), input);
  EXPECT_EQ(result.exit_code, 1) << result.err;  // something is live
  expect_no_secret(result, secrets);
  EXPECT_EQ(sentry.count(), 4u);  // user, org, legacy token, legacy key; never the DSN or client secret

  const auto& out = result.out;
  EXPECT_NE(out.find("sentry-user-token  live"), std::string::npos) << out;
  EXPECT_NE(out.find("sentry-org-token  live"), std::string::npos) << out;
  EXPECT_NE(out.find("sentry-legacy-token  revoked"), std::string::npos) << out;
  EXPECT_NE(out.find("sentry-legacy-api-key  live"), std::string::npos) << out;
  EXPECT_NE(out.find("sentry-dsn  skipped"), std::string::npos) << out;
  EXPECT_NE(out.find("sentry-user-app-secret  skipped"), std::string::npos) << out;
  EXPECT_NE(out.find("unrecognized  skipped"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 7);
}

TEST(ValidateCli, JsonOutput) {
  FakeSentry sentry(mixed_answers());
  const auto token = fake_org_token("json", {.org = "acme"});
  const auto result = validate_cli(sentry.url(), token + "\n" + fake_dsn("json") + "\n", {"--format", "json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  expect_no_secret(result, {token});
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["rule_id"], "sentry-org-token");
  EXPECT_EQ(json[0]["validation"]["status"], "live");
  EXPECT_EQ(json[0]["validation"]["http_status"], 200);
  EXPECT_EQ(json[0]["token"]["org"], "acme");
  EXPECT_EQ(json[0]["secret_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(json[1]["validation"]["status"], "skipped");
}

TEST(ValidateCli, ExitStatus) {
  FakeSentry revoking(answer_revoked());
  EXPECT_EQ(validate_cli(revoking.url(), fake_user_token("r") + "\n" + fake_dsn("r") + "\n").exit_code, 0);
  FakeSentry failing(answer(500, "oops", "text/plain"));
  EXPECT_EQ(validate_cli(failing.url(), fake_user_token("f") + "\n").exit_code, 3);
  FakeSentry self_hosted;
  const auto token = fake_org_token("sh", {.url = self_hosted.url(), .region_url = ""});
  EXPECT_EQ(validate_cli(revoking.url(), token + "\n").exit_code, 3);  // skipped for want of --sentry-url
  const auto empty = validate_cli(revoking.url(), "\n \n");
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no credentials"), std::string::npos);
}

TEST(ValidateCli, SelfHostedTokenNeedsSentryUrl) {
  FakeSentry saas, self_hosted;
  const auto token = fake_org_token("cli-self", {.url = self_hosted.url(), .region_url = ""});
  const auto skipped = validate_cli(saas.url(), token + "\n");
  EXPECT_NE(skipped.out.find("skipped: self-hosted at 127.0.0.1:" + std::to_string(self_hosted.port())),
            std::string::npos)
      << skipped.out;
  EXPECT_EQ(self_hosted.count(), 0u);
  const auto allowed = validate_cli(saas.url(), token + "\n", {"--sentry-url", self_hosted.url()});
  EXPECT_EQ(allowed.exit_code, 1) << allowed.err;
  EXPECT_EQ(self_hosted.count(), 1u);
  EXPECT_EQ(saas.count(), 0u);
  expect_no_secret(allowed, {token});
}

TEST(ValidateCli, SecretsOnArgvAreRefusedWithoutBeingEchoed) {
  FakeSentry sentry;
  const auto token = fake_user_token("argv");
  const auto result = validate_cli(sentry.url(), "", {token});
  EXPECT_EQ(result.exit_code, 2);
  expect_no_secret(result, {token});
  EXPECT_NE(result.err.find("stdin"), std::string::npos);
  EXPECT_EQ(sentry.count(), 0u);
}

TEST(ValidateCli, PlainHttpNeedsTheFlag) {
  FakeSentry sentry;
  const auto result = run_sentryscan({"validate", "--sentry-url", "http://sentry.internal"},
                                     {.cwd = {}, .stdin_text = fake_user_token("http") + "\n",
                                      .env = {{"SENTRYSCAN_SAAS_URL", sentry.url()}}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--allow-insecure-http"), std::string::npos) << result.err;
  EXPECT_EQ(sentry.count(), 0u);
}

TEST(ValidateCli, SecretsNeverAppearWhateverGoesWrong) {
  RawServer silent(RawServer::Mode::never_answer), reset(RawServer::Mode::reset), garbage(RawServer::Mode::garbage);
  FakeSentry elsewhere;
  FakeSentry redirect([&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(elsewhere.url() + "/steal", 307);
  });
  FakeSentry echo([](const httplib::Request& req, httplib::Response& res) {  // hostile: echoes the token
    res.status = 403;
    res.set_content("<html>" + req.get_header_value("Authorization") + "</html>", "text/html");
  });
  const std::vector<std::string> secrets = {fake_user_token("leak"), fake_org_token("leak"), fake_hex("leak", 64),
                                            fake_hex("leak", 32)};
  std::string input;
  for (const auto& s : secrets) input += s + "\n";
  for (const auto& url : {silent.url(), reset.url(), garbage.url(), redirect.url(), echo.url(),
                          std::string("https://127.0.0.1:") + std::to_string(elsewhere.port())}) {
    for (const char* format : {"text", "json"}) {
      const auto result = validate_cli(url, input, {"--format", format});
      EXPECT_EQ(result.exit_code, 3) << url << "\n" << result.out << result.err;
      expect_no_secret(result, secrets);
      EXPECT_NE(result.out.find("unknown"), std::string::npos) << result.out;
    }
  }
  EXPECT_EQ(elsewhere.count(), 0u);
}

TEST(ValidateCli, OnlyLive) {
  FakeSentry sentry(mixed_answers());
  const auto result = validate_cli(sentry.url(), fake_user_token("ol") + "\n" + fake_hex("ol", 64) + "\n",
                                   {"--only-live"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("live"), std::string::npos);
  EXPECT_EQ(result.out.find("revoked"), std::string::npos) << result.out;
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1);
}

TEST(ValidateCli, TuningFlagsReachTheDriver) {
  FakeSentry sentry(answer_live(), std::chrono::milliseconds(50));
  std::string input;
  for (int i = 0; i < 4; ++i) input += fake_user_token("tune" + std::to_string(i)) + "\n";
  const auto serial = validate_cli(sentry.url(), input, {"--validate-concurrency", "1"});
  EXPECT_EQ(serial.exit_code, 1) << serial.err;
  EXPECT_EQ(sentry.max_in_flight(), 1);
  EXPECT_EQ(sentry.count(), 4u);

  FakeSentry budget;
  const auto limited = validate_cli(budget.url(), input, {"--validate-max-requests", "1"});
  EXPECT_EQ(budget.count(), 1u);
  EXPECT_NE(limited.err.find("--validate-max-requests"), std::string::npos) << limited.err;

  TempDir dir;
  const auto cache = (dir.path() / "cache.json").string();
  FakeSentry cached;
  validate_cli(cached.url(), input, {"--validation-cache", cache});
  const auto again = validate_cli(cached.url(), input, {"--validation-cache", cache});
  EXPECT_EQ(cached.count(), 4u);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("cached"), std::string::npos) << again.out;
}

}  // namespace
}  // namespace sentryscan::testing
