// The validation driver against real HTTP servers on 127.0.0.1 that play
// the Sentry API (or misbehave) and record every request they receive.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include "support/fake_tokens.h"
#include "core/base64.h"
#include "core/input_error.h"
#include "validate/fake_sentry.h"
#include "match/checks.h"
#include "validate/stage.h"

namespace sentryscan::testing {
namespace {

using validate::check_credentials;
using validate::CheckStats;
using validate::Credential;
using Clock = std::chrono::steady_clock;

Credential user_token(std::string_view seed) { return Credential{"sentry-user-token", fake_user_token(seed), {}}; }

Credential org_token(std::string_view seed, const OrgTokenSpec& spec = {}) {
  const std::string token = fake_org_token(seed, spec);
  return Credential{"sentry-org-token", token, decode_org_token(token)};
}

Validation check_one(const Credential& credential, const validate::ValidationSettings& settings) {
  std::vector<ScanIssue> issues;
  return check_credentials({credential}, settings, issues).front();
}

TEST(ValidateHttp, LiveTokenAndTheRequestItSends) {
  FakeSentry sentry;
  const auto token = user_token("live");
  const auto v = check_one(token, local_settings(sentry.url()));
  EXPECT_EQ(v.status, ValidationStatus::live);
  EXPECT_EQ(v.http_status, 200);
  ASSERT_EQ(sentry.count(), 1u);
  const auto request = sentry.requests().front();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/api/0/auth/validate/");
  EXPECT_EQ(request.header("Authorization"), "Bearer " + token.secret);
  EXPECT_EQ(request.header("User-Agent"), std::string("sentryscan/") + SENTRYSCAN_VERSION);
  EXPECT_FALSE(request.has_header("Cookie"));
}

TEST(ValidateHttp, CookiesAreNeitherKeptNorSent) {
  FakeSentry sentry([](const httplib::Request&, httplib::Response& res) {
    res.set_header("Set-Cookie", "session=abc; Path=/");
    res.status = 200;
    res.set_content(R"({"ok":true})", "application/json");
  });
  std::vector<ScanIssue> issues;
  auto settings = local_settings(sentry.url());
  settings.concurrency = 1;  // same connection and handle pool: a cookie engine would replay it
  check_credentials({user_token("c1"), user_token("c2"), user_token("c3")}, settings, issues);
  ASSERT_EQ(sentry.count(), 3u);
  for (const auto& r : sentry.requests()) EXPECT_FALSE(r.has_header("Cookie"));
}

TEST(ValidateHttp, RevokedOn401AndOn403WithSentryJson) {
  FakeSentry unauthorized(answer(401, R"({"detail":"Invalid token"})"));
  EXPECT_EQ(check_one(user_token("a"), local_settings(unauthorized.url())).status, ValidationStatus::revoked);
  FakeSentry forbidden(answer(403, R"({"detail":"Token expired"})"));
  const auto v = check_one(user_token("b"), local_settings(forbidden.url()));
  EXPECT_EQ(v.status, ValidationStatus::revoked);
  EXPECT_EQ(v.http_status, 403);
}

TEST(ValidateHttp, HtmlForbiddenFromAProxyIsUnknownNotRevoked) {
  FakeSentry proxy(answer(403, "<html><body>Blocked by corporate proxy</body></html>", "text/html"));
  const auto v = check_one(user_token("proxy"), local_settings(proxy.url()));
  EXPECT_EQ(v.status, ValidationStatus::unknown);
  EXPECT_EQ(v.http_status, 403);
  EXPECT_NE(v.detail.find("proxy"), std::string::npos);
}

TEST(ValidateHttp, RateLimitedThenLiveAfterTheAnnouncedReset) {
  std::mutex mutex;
  std::time_t reset = 0;
  FakeSentry sentry([&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(mutex);
    const std::time_t now = std::time(nullptr);
    if (reset == 0) reset = now + 1;
    if (now < reset) {
      res.status = 429;
      res.set_header("X-Sentry-Rate-Limit-Reset", std::to_string(reset));
      res.set_content(R"({"detail":"rate limited"})", "application/json");
      return;
    }
    res.status = 200;
    res.set_content("{}", "application/json");
  });
  const auto start = Clock::now();
  const auto v = check_one(user_token("rate"), local_settings(sentry.url()));
  EXPECT_EQ(v.status, ValidationStatus::live) << v.detail;
  const auto requests = sentry.requests();
  ASSERT_EQ(requests.size(), 2u);  // it waited for the reset instead of hammering the server
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
}

TEST(ValidateHttp, RateLimitedForeverIsUnknownAfterBoundedRetries) {
  FakeSentry sentry([](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "0");
    res.set_content(R"({"detail":"slow down"})", "application/json");
  });
  auto settings = local_settings(sentry.url());
  const auto v = check_one(user_token("forever"), settings);
  EXPECT_EQ(v.status, ValidationStatus::unknown);
  EXPECT_EQ(v.http_status, 429);
  EXPECT_NE(v.detail.find("rate limited"), std::string::npos);
  EXPECT_EQ(sentry.count(), settings.max_retries + 1);
}

TEST(ValidateHttp, RateLimitAskingForAnHourIsNotWaitedFor) {
  FakeSentry sentry([](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "3600");
  });
  const auto start = Clock::now();
  const auto v = check_one(user_token("hour"), local_settings(sentry.url()));
  EXPECT_EQ(v.status, ValidationStatus::unknown);
  EXPECT_EQ(sentry.count(), 1u);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
}

TEST(ValidateHttp, ServerErrorIsUnknownWithTheReason) {
  FakeSentry sentry(answer(500, "Internal Server Error", "text/plain"));
  const auto v = check_one(user_token("5xx"), local_settings(sentry.url()));
  EXPECT_EQ(v.status, ValidationStatus::unknown);
  EXPECT_EQ(v.http_status, 500);
  EXPECT_NE(v.detail.find("HTTP 500"), std::string::npos);
}

TEST(ValidateHttp, ServerThatNeverAnswersTimesOutWithoutStallingTheRun) {
  RawServer silent(RawServer::Mode::never_answer);
  FakeSentry self_hosted;
  const auto stuck = user_token("stuck");  // SaaS base: the silent server
  const auto fine = org_token("fine", {.url = self_hosted.url()});
  std::vector<ScanIssue> issues;
  const auto start = Clock::now();
  const auto results = check_credentials({stuck, fine}, local_settings(silent.url(), {self_hosted.url()}), issues);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
  EXPECT_EQ(results[0].status, ValidationStatus::unknown);
  EXPECT_NE(results[0].detail.find("no answer"), std::string::npos) << results[0].detail;
  EXPECT_EQ(results[1].status, ValidationStatus::live);
}

TEST(ValidateHttp, ConnectionResetIsUnknown) {
  RawServer reset(RawServer::Mode::reset);
  const auto v = check_one(user_token("reset"), local_settings(reset.url()));
  EXPECT_EQ(v.status, ValidationStatus::unknown);
  EXPECT_FALSE(v.detail.empty());
  EXPECT_EQ(reset.accepted(), 1);
}

TEST(ValidateHttp, ConnectionRefusedIsUnknown) {
  int port = 0;
  { FakeSentry gone; port = gone.port(); }
  const auto v = check_one(user_token("refused"), local_settings("http://127.0.0.1:" + std::to_string(port)));
  EXPECT_EQ(v.status, ValidationStatus::unknown);
  EXPECT_NE(v.detail.find("cannot connect"), std::string::npos) << v.detail;
}

TEST(ValidateHttp, RedirectIsNotFollowed) {
  FakeSentry elsewhere;
  FakeSentry redirecting([&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(elsewhere.url() + "/api/0/auth/validate/", 302);
  });
  const auto v = check_one(user_token("redirect"), local_settings(redirecting.url()));
  EXPECT_EQ(v.status, ValidationStatus::unknown);
  EXPECT_EQ(v.http_status, 302);
  EXPECT_EQ(redirecting.count(), 1u);
  EXPECT_EQ(elsewhere.count(), 0u);
}

TEST(ValidateHttp, GarbageAnswersAreUnknown) {
  FakeSentry not_json(answer(200, "\x01\x02 definitely not json", "application/octet-stream"));
  EXPECT_EQ(check_one(user_token("g1"), local_settings(not_json.url())).status, ValidationStatus::unknown);
  RawServer not_http(RawServer::Mode::garbage);
  const auto v = check_one(user_token("g2"), local_settings(not_http.url()));
  EXPECT_EQ(v.status, ValidationStatus::unknown);
  EXPECT_FALSE(v.detail.empty());
  FakeSentry huge(answer(200, "{\"pad\":\"" + std::string(200 * 1024, 'x') + "\"}"));
  const auto big = check_one(user_token("g3"), local_settings(huge.url()));
  EXPECT_EQ(big.status, ValidationStatus::unknown);
  EXPECT_NE(big.detail.find("larger than"), std::string::npos) << big.detail;
}

TEST(ValidateHttp, SameTokenInFiftyPlacesIsRequestedOnce) {
  FakeSentry sentry;
  const auto token = user_token("everywhere");
  std::vector<Finding> findings(50);
  for (auto& f : findings) {
    f.rule_id = token.rule_id;
    f.secret = token.secret;
  }
  std::vector<ScanIssue> issues;
  validate::validate_findings(findings, local_settings(sentry.url()), issues);
  EXPECT_EQ(sentry.count(), 1u);
  for (const auto& f : findings) EXPECT_EQ(f.validation.status, ValidationStatus::live);
}

TEST(ValidateHttp, ConcurrencyNeverExceedsTheLimit) {
  FakeSentry sentry(answer_live(), std::chrono::milliseconds(100));
  std::vector<Credential> tokens;
  for (int i = 0; i < 12; ++i) tokens.push_back(user_token("parallel" + std::to_string(i)));
  auto settings = local_settings(sentry.url());
  settings.concurrency = 3;
  std::vector<ScanIssue> issues;
  const auto results = check_credentials(tokens, settings, issues);
  EXPECT_EQ(sentry.count(), 12u);
  EXPECT_LE(sentry.max_in_flight(), 3);
  EXPECT_GE(sentry.max_in_flight(), 2);  // and it does run requests side by side
  for (const auto& v : results) EXPECT_EQ(v.status, ValidationStatus::live);
}

TEST(ValidateHttp, RequestBudgetIsGlobal) {
  FakeSentry sentry;
  std::vector<Credential> tokens;
  for (int i = 0; i < 5; ++i) tokens.push_back(user_token("budget" + std::to_string(i)));
  auto settings = local_settings(sentry.url());
  settings.max_requests = 2;
  std::vector<ScanIssue> issues;
  CheckStats stats;
  const auto results = check_credentials(tokens, settings, issues, &stats);
  EXPECT_EQ(sentry.count(), 2u);
  EXPECT_EQ(stats.requests, 2u);
  int unknown = 0;
  for (const auto& v : results) unknown += v.status == ValidationStatus::unknown;
  EXPECT_EQ(unknown, 3);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].message.find("--validate-max-requests"), std::string::npos);
}

TEST(ValidateHttp, SelfHostedOrgTokenGoesOnlyWhereTheUserAllowed) {
  FakeSentry saas;
  FakeSentry third;  // named in the payload, not allowed
  const auto token = org_token("self-hosted", {.url = third.url(), .region_url = ""});

  const auto skipped = check_one(token, local_settings(saas.url()));
  EXPECT_EQ(skipped.status, ValidationStatus::skipped);
  EXPECT_EQ(skipped.detail, "self-hosted at 127.0.0.1:" + std::to_string(third.port()) +
                                "; allow it with --sentry-url");
  EXPECT_EQ(third.count(), 0u);
  EXPECT_EQ(saas.count(), 0u);

  const auto allowed = check_one(token, local_settings(saas.url(), {third.url()}));
  EXPECT_EQ(allowed.status, ValidationStatus::live);
  ASSERT_EQ(third.count(), 1u);
  EXPECT_EQ(third.requests()[0].header("Authorization"), "Bearer " + token.secret);
  EXPECT_EQ(saas.count(), 0u);
}

TEST(ValidateHttp, SaasOrgTokenGoesToTheSaasBase) {
  FakeSentry saas;
  const auto v = check_one(org_token("saas"), local_settings(saas.url()));
  EXPECT_EQ(v.status, ValidationStatus::live);
  EXPECT_EQ(saas.count(), 1u);
}

TEST(ValidateHttp, LegacyApiKeyUsesBasicAuthOnTheApiRoot) {
  FakeSentry sentry([](const httplib::Request& req, httplib::Response& res) {
    res.status = 200;
    res.set_content(req.path == "/api/0/" ? R"({"version":"0","auth":{"scopes":["project:read"]}})" : "{}",
                    "application/json");
  });
  const Credential key{"sentry-legacy-api-key", fake_hex("api-key", 32), {}};
  const auto v = check_one(key, local_settings(sentry.url()));
  EXPECT_EQ(v.status, ValidationStatus::live);
  ASSERT_EQ(sentry.count(), 1u);
  const auto request = sentry.requests()[0];
  EXPECT_EQ(request.path, "/api/0/");
  EXPECT_EQ(request.header("Authorization"), "Basic " + base64_encode(key.secret + ":"));
}

TEST(ValidateHttp, DsnsAndClientSecretsAreSkippedWithoutARequest) {
  FakeSentry sentry;
  std::vector<ScanIssue> issues;
  const auto results = check_credentials({Credential{"sentry-dsn", fake_dsn("dsn"), {}},
                                          Credential{"sentry-user-app-secret", fake_prefixed_token("sntrya_", "a"), {}}},
                                         local_settings(sentry.url()), issues);
  for (const auto& v : results) {
    EXPECT_EQ(v.status, ValidationStatus::skipped);
    EXPECT_FALSE(v.detail.empty());
  }
  EXPECT_EQ(sentry.count(), 0u);
}

TEST(ValidateHttp, NoValidateMeansNoRequestAtAll) {
  FakeSentry sentry;
  std::vector<Finding> findings(3);
  findings[0].rule_id = "sentry-user-token";
  findings[0].secret = fake_user_token("offline");
  findings[1].rule_id = "sentry-legacy-token";
  findings[1].secret = fake_hex("offline", 64);
  findings[2].rule_id = "sentry-org-token";
  findings[2].secret = fake_org_token("offline");
  findings[2].token = decode_org_token(findings[2].secret);
  validate::ValidationOptions options;  // enabled = false
  options.saas_url = sentry.url();
  options.allow_insecure_http = true;
  options.only_live = true;  // ignored without --validate: nothing is dropped
  std::vector<ScanIssue> issues;
  validate::run_validation_stage(findings, options, {}, issues);
  EXPECT_EQ(sentry.count(), 0u);
  ASSERT_EQ(findings.size(), 3u);
  for (const auto& f : findings) EXPECT_EQ(f.validation.status, ValidationStatus::not_checked);
  EXPECT_TRUE(issues.empty());
}

TEST(ValidateHttp, OnlyLiveKeepsLiveFindings) {
  FakeSentry sentry([](const httplib::Request& req, httplib::Response& res) {
    const bool live = req.get_header_value("Authorization").find("sntryu_") != std::string::npos;
    res.status = live ? 200 : 401;
    res.set_content(live ? "{}" : R"({"detail":"Invalid token"})", "application/json");
  });
  std::vector<Finding> findings(3);
  findings[0].rule_id = "sentry-legacy-token";
  findings[0].secret = fake_hex("revoked", 64);
  findings[1].rule_id = "sentry-user-token";
  findings[1].secret = fake_user_token("kept");
  findings[2].rule_id = "sentry-dsn";
  findings[2].secret = fake_dsn("dropped");
  validate::ValidationOptions options;
  options.enabled = true;
  options.only_live = true;
  options.saas_url = sentry.url();
  options.allow_insecure_http = true;
  options.timeout_seconds = 1;
  std::vector<ScanIssue> issues;
  validate::run_validation_stage(findings, options, {}, issues);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "sentry-user-token");
  EXPECT_EQ(findings[0].validation.status, ValidationStatus::live);
}

TEST(ValidateHttp, ConfigValuesApplyAndFlagsOverrideThem) {
  FakeSentry self_hosted;
  const auto token = org_token("config", {.url = self_hosted.url()});
  std::vector<Finding> findings(1);
  findings[0].rule_id = token.rule_id;
  findings[0].secret = token.secret;
  findings[0].token = token.token;
  ValidateConfig config;
  config.sentry_urls = {self_hosted.url()};  // allowed by the config file alone
  config.concurrency = 2;
  validate::ValidationOptions options;
  options.enabled = true;
  options.allow_insecure_http = true;
  options.saas_url = "http://127.0.0.1:9";
  std::vector<ScanIssue> issues;
  validate::run_validation_stage(findings, options, config, issues);
  EXPECT_EQ(findings[0].validation.status, ValidationStatus::live);
  EXPECT_EQ(self_hosted.count(), 1u);

  options.concurrency = 5;
  EXPECT_EQ(validate::resolve_settings(options, config).concurrency, 5u);
  options.concurrency.reset();
  EXPECT_EQ(validate::resolve_settings(options, config).concurrency, 2u);
}

TEST(ValidateHttp, BadSettingsAreRejectedBeforeAnyRequest) {
  validate::ValidationOptions options;
  options.enabled = true;
  options.sentry_urls = {"http://sentry.internal"};
  EXPECT_THROW(validate::resolve_settings(options, {}), InputError);  // plain http without the flag
  options.allow_insecure_http = true;
  EXPECT_NO_THROW(validate::resolve_settings(options, {}));
  options.sentry_urls = {"https://sentry.io@evil.com"};
  EXPECT_THROW(validate::resolve_settings(options, {}), InputError);
  options.sentry_urls.clear();
  options.saas_url = "http://127.0.0.1:1";
  options.allow_insecure_http = false;
  EXPECT_THROW(validate::resolve_settings(options, {}), InputError);  // the testing aid implies nothing else
  options.saas_url.reset();
  options.ca_cert = "/nonexistent/ca.pem";
  EXPECT_THROW(validate::resolve_settings(options, {}), InputError);
}

}  // namespace
}  // namespace sentryscan::testing
