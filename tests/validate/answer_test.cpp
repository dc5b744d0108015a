// Status mapping (SPEC 3.2) and rate-limit headers, without a network.
#include <gtest/gtest.h>

#include "validate/answer.h"

namespace sentryscan::validate {
namespace {

Validation meaning(long status, std::string body, AuthScheme auth = AuthScheme::bearer) {
  return interpret_answer(auth, HttpAnswer{status, std::move(body), {}, {}}, "https://sentry.io").validation;
}

TEST(Answer, MapsStatusesAsTheSpecSays) {
  EXPECT_EQ(meaning(200, R"({"scopes":[]})").status, ValidationStatus::live);
  EXPECT_EQ(meaning(401, "").status, ValidationStatus::revoked);
  EXPECT_EQ(meaning(403, R"({"detail":"Invalid token"})").status, ValidationStatus::revoked);
  EXPECT_EQ(meaning(403, "<html>Access denied</html>").status, ValidationStatus::unknown);
  EXPECT_EQ(meaning(403, R"(["detail"])").status, ValidationStatus::unknown);
  EXPECT_EQ(meaning(500, "").status, ValidationStatus::unknown);
  EXPECT_EQ(meaning(503, "").detail, "server error HTTP 503 from https://sentry.io");
  EXPECT_EQ(meaning(302, "").status, ValidationStatus::unknown);
  EXPECT_EQ(meaning(404, "").status, ValidationStatus::unknown);
  EXPECT_EQ(meaning(200, "<html>captive portal</html>").status, ValidationStatus::unknown);
  EXPECT_EQ(meaning(401, "").http_status, 401);
}

TEST(Answer, RateLimitIsUnknownAndRetryable) {
  const auto m = interpret_answer(AuthScheme::bearer, HttpAnswer{429, "", {}, {}}, "https://sentry.io");
  EXPECT_TRUE(m.rate_limited);
  EXPECT_EQ(m.validation.status, ValidationStatus::unknown);
}

TEST(Answer, LegacyApiKeyIsLiveOnlyWhenAuthIsNotNull) {
  EXPECT_EQ(meaning(200, R"({"version":"0","auth":{"scopes":["project:read"]}})", AuthScheme::basic_api_key).status,
            ValidationStatus::live);
  EXPECT_EQ(meaning(200, R"({"version":"0","auth":null})", AuthScheme::basic_api_key).status,
            ValidationStatus::unknown);
  EXPECT_EQ(meaning(401, R"({"detail":"API key is not valid"})", AuthScheme::basic_api_key).status,
            ValidationStatus::revoked);
}

TEST(Answer, BodyTextNeverReachesTheDetail) {
  const std::string echoed = "sntryu_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  for (long status : {200L, 401L, 403L, 404L, 429L, 500L})
    EXPECT_EQ(meaning(status, R"({"detail":")" + echoed + R"("})").detail.find("sntryu_"), std::string::npos);
}

TEST(Answer, RetryDelayFromHeaders) {
  const std::time_t now = 1'700'000'000;
  HttpAnswer a{429, "", std::string("7"), {}};
  EXPECT_EQ(retry_delay_seconds(a, now), 7.0);
  a.retry_after = "Tue, 14 Nov 2023 22:13:30 GMT";  // now + 10 s
  EXPECT_EQ(retry_delay_seconds(a, now), 10.0);
  a.retry_after = std::nullopt;
  a.rate_limit_reset = std::to_string(now + 3);
  EXPECT_EQ(retry_delay_seconds(a, now), 3.0);
  a.rate_limit_reset = std::to_string(now - 30);  // already past
  EXPECT_EQ(retry_delay_seconds(a, now), 0.0);
  a.rate_limit_reset = "soon";
  EXPECT_FALSE(retry_delay_seconds(a, now));
  a.retry_after = "-5";
  EXPECT_FALSE(retry_delay_seconds(a, now));
}

}  // namespace
}  // namespace sentryscan::validate
