// Where a credential may be sent (SPEC 3.3): the routing decision is a pure
// function, checked here against hostile payloads.
#include <gtest/gtest.h>

#include "settings/base_url.h"
#include "validate/routing.h"

namespace sentryscan::validate {
namespace {

BaseUrl url(std::string_view text) {
  auto parsed = parse_base_url(text);
  if (!parsed) throw std::runtime_error("test URL did not parse");
  return *parsed;
}

RoutingPolicy saas_only() { return RoutingPolicy{url("https://sentry.io"), {}, false}; }

TokenInfo payload(std::optional<std::string> payload_url, std::string region_url = "") {
  TokenInfo info;
  info.org = "acme";
  info.url = std::move(payload_url);
  info.region_url = std::move(region_url);
  return info;
}

RouteDecision route_org(const TokenInfo& info, const RoutingPolicy& policy) {
  return route_credential("sentry-org-token", info, policy);
}

TEST(BaseUrl, ComparesOriginsNotStrings) {
  EXPECT_TRUE(url("https://sentry.io").same_origin(url("HTTPS://Sentry.IO:443/")));
  EXPECT_TRUE(url("https://sentry.io.").same_origin(url("https://sentry.io")));
  EXPECT_FALSE(url("https://sentry.io").same_origin(url("http://sentry.io")));
  EXPECT_FALSE(url("https://sentry.io").same_origin(url("https://sentry.io:8443")));
  EXPECT_FALSE(url("https://sentry.io").same_origin(url("https://sentry.io.evil.com")));
  EXPECT_EQ(url("https://example.com:8443/sentry/").to_string(), "https://example.com:8443/sentry");
  EXPECT_EQ(url("http://127.0.0.1:80").to_string(), "http://127.0.0.1");
  EXPECT_EQ(url("https://[::1]:9000").host, "[::1]");
}

TEST(BaseUrl, RejectsEverythingThatHidesASecondHost) {
  for (const char* text :
       {"https://sentry.io@evil.com", "https://user:pw@sentry.io", "https://sentry.io\\@evil.com",
        "https://evil.com?x=https://sentry.io", "https://evil.com#@sentry.io", "https://sentry.io%2eevil.com",
        "https://sentry .io", "https://sentry.io\r\nHost: evil", "ftp://sentry.io", "file:///etc/passwd",
        "javascript:alert(1)", "//sentry.io", "sentry.io", "https://", "https://:443", "https://sentry.io:",
        "https://sentry.io:99999", "https://sentry.io:-1", "https://a..b", "https://[::1", "https://sentry.io/%2e%2e"})
    EXPECT_FALSE(parse_base_url(text)) << text;
}

TEST(Routing, SaasOrgTokenGoesToTheSaasBaseOnly) {
  for (const char* region : {"", "https://sentry.io", "https://us.sentry.io", "https://de.sentry.io"}) {
    const auto decision = route_org(payload("https://sentry.io", region), saas_only());
    ASSERT_TRUE(decision.target) << region;
    EXPECT_EQ(decision.target->url, "https://sentry.io/api/0/auth/validate/");
    EXPECT_EQ(decision.target->auth, AuthScheme::bearer);
  }
}

TEST(Routing, SaasBaseOverrideChangesTheDestinationNotWhatCountsAsSaas) {
  RoutingPolicy policy{url("http://127.0.0.1:5000"), {}, true};
  const auto saas = route_org(payload("https://sentry.io", "https://us.sentry.io"), policy);
  ASSERT_TRUE(saas.target);
  EXPECT_EQ(saas.target->url, "http://127.0.0.1:5000/api/0/auth/validate/");
  // A payload naming the override's own address is still "self-hosted, not allowed".
  EXPECT_FALSE(route_org(payload("http://127.0.0.1:5000"), policy).target);
}

TEST(Routing, HostilePayloadsAreSkippedAndNeverBecomeTheRequestUrl) {
  const struct {
    const char* url;
    const char* region;
    const char* detail;  // a fragment the skip reason must contain
  } cases[] = {
      {"http://169.254.169.254", "", "self-hosted at 169.254.169.254; allow it with --sentry-url"},
      {"https://sentry.io.evil.com", "", "self-hosted at sentry.io.evil.com"},
      {"https://evil.com/https://sentry.io", "", "self-hosted at evil.com"},
      {"https://sentry.io@evil.com", "", "not a plain http(s) base URL"},
      {"https://evil.com:8443", "", "self-hosted at evil.com:8443"},
      {"https://sentry.io", "https://evil.com", "unexpected region at evil.com"},
      {"https://sentry.io", "http://169.254.169.254/latest/meta-data", "unexpected region at 169.254.169.254"},
      {"https://sentry.io", "https://us.sentry.io@evil.com", "malformed region_url"},
      {"https://sentry.io", "http://us.sentry.io", "unexpected region"},
      {"gopher://sentry.io", "", "not a plain http(s) base URL"},
  };
  for (const auto& c : cases) {
    const auto decision = route_org(payload(c.url, c.region), saas_only());
    EXPECT_FALSE(decision.target) << c.url << " " << c.region;
    EXPECT_NE(decision.skip_reason.find(c.detail), std::string::npos) << decision.skip_reason;
  }
}

TEST(Routing, AllowedSelfHostedBaseIsUsedAsTheUserWroteIt) {
  RoutingPolicy policy = saas_only();
  policy.allowed = {url("https://sentry.example.com/prefix")};
  const auto decision = route_org(payload("https://SENTRY.example.com:443/other/path"), policy);
  ASSERT_TRUE(decision.target);
  // The payload's path is ignored: the URL is built from the allowed base.
  EXPECT_EQ(decision.target->url, "https://sentry.example.com/prefix/api/0/auth/validate/");
  // Same host, other scheme or port: a different place.
  EXPECT_FALSE(route_org(payload("http://sentry.example.com"), policy).target);
  EXPECT_FALSE(route_org(payload("https://sentry.example.com:8443"), policy).target);
  EXPECT_FALSE(route_org(payload("https://sentry.example.com.evil.com"), policy).target);
}

TEST(Routing, PlainHttpNeedsTheFlagEvenWhenAllowed) {
  RoutingPolicy policy = saas_only();
  policy.allowed = {url("http://sentry.internal:9000")};
  const auto refused = route_org(payload("http://sentry.internal:9000"), policy);
  EXPECT_FALSE(refused.target);
  EXPECT_NE(refused.skip_reason.find("--allow-insecure-http"), std::string::npos);
  policy.allow_insecure_http = true;
  const auto allowed = route_org(payload("http://sentry.internal:9000"), policy);
  ASSERT_TRUE(allowed.target);
  EXPECT_EQ(allowed.target->url, "http://sentry.internal:9000/api/0/auth/validate/");
}

TEST(Routing, NullUrlNeedsExactlyOneAllowedBase) {
  RoutingPolicy policy = saas_only();
  EXPECT_FALSE(route_org(payload(std::nullopt), policy).target);
  policy.allowed = {url("https://a.example.com")};
  ASSERT_TRUE(route_org(payload(std::nullopt), policy).target);
  EXPECT_EQ(route_org(payload(std::nullopt), policy).target->base, "https://a.example.com");
  policy.allowed.push_back(url("https://b.example.com"));
  EXPECT_FALSE(route_org(payload(std::nullopt), policy).target);
}

TEST(Routing, UndecodableOrgTokenIsSkipped) {
  EXPECT_FALSE(route_credential("sentry-org-token", std::nullopt, saas_only()).target);
}

TEST(Routing, OtherKinds) {
  RoutingPolicy policy = saas_only();
  policy.allowed = {url("https://sentry.example.com")};  // never used for tokens without a payload
  for (const char* rule : {"sentry-user-token", "sentry-legacy-token", "sentry-integration-token"}) {
    const auto decision = route_credential(rule, std::nullopt, policy);
    ASSERT_TRUE(decision.target) << rule;
    EXPECT_EQ(decision.target->url, "https://sentry.io/api/0/auth/validate/");
    EXPECT_EQ(decision.target->auth, AuthScheme::bearer);
  }
  const auto key = route_credential("sentry-legacy-api-key", std::nullopt, policy);
  ASSERT_TRUE(key.target);
  EXPECT_EQ(key.target->url, "https://sentry.io/api/0/");
  EXPECT_EQ(key.target->auth, AuthScheme::basic_api_key);
  for (const char* rule : {"sentry-dsn", "sentry-dsn-secret", "sentry-user-app-secret", "no-such-rule"}) {
    const auto decision = route_credential(rule, std::nullopt, policy);
    EXPECT_FALSE(decision.target) << rule;
    EXPECT_FALSE(decision.skip_reason.empty()) << rule;
  }
}

}  // namespace
}  // namespace sentryscan::validate
