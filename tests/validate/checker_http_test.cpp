// The validation driver against real HTTP servers on 127.0.0.1 that play
// the Sentry API (or misbehave) and record every request they receive.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include "match/checks.h"
#include "support/fake_tokens.h"
#include "validate/checker.h"
#include "support/fake_sentry.h"

namespace sentryscan::testing {
namespace {

using validate::check_credentials;
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

}  // namespace
}  // namespace sentryscan::testing
