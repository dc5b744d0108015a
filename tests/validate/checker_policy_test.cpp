// The validation driver's policies against real local servers: one request
// per secret, concurrency and budget limits, routing, the stage as a whole.
#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/input_error.h"
#include "match/checks.h"
#include "support/fake_tokens.h"
#include "support/fake_sentry.h"
#include "settings/settings.h"
#include "validate/stage.h"

namespace sentryscan::testing {
namespace {

using validate::check_credentials;
using validate::CheckStats;
using validate::Credential;

Credential user_token(std::string_view seed) { return Credential{"sentry-user-token", fake_user_token(seed), {}}; }

Credential org_token(std::string_view seed, const OrgTokenSpec& spec = {}) {
  const std::string token = fake_org_token(seed, spec);
  return Credential{"sentry-org-token", token, decode_org_token(token)};
}

Validation check_one(const Credential& credential, const validate::ValidationSettings& settings) {
  std::vector<ScanIssue> issues;
  return check_credentials({credential}, settings, issues).front();
}

TEST(ValidatePolicy, SameTokenInFiftyPlacesIsRequestedOnce) {
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

TEST(ValidatePolicy, ConcurrencyNeverExceedsTheLimit) {
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

TEST(ValidatePolicy, RequestBudgetIsGlobal) {
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

TEST(ValidatePolicy, SelfHostedOrgTokenGoesOnlyWhereTheUserAllowed) {
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

TEST(ValidatePolicy, SaasOrgTokenGoesToTheSaasBase) {
  FakeSentry saas;
  const auto v = check_one(org_token("saas"), local_settings(saas.url()));
  EXPECT_EQ(v.status, ValidationStatus::live);
  EXPECT_EQ(saas.count(), 1u);
}

TEST(ValidatePolicy, LegacyApiKeyUsesBasicAuthOnTheApiRoot) {
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

TEST(ValidatePolicy, DsnsAndClientSecretsAreSkippedWithoutARequest) {
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

// Without --validate the settings hold no validation at all: nothing is
// resolved (a bad URL is not even parsed) and run_scan never calls the stage
// (e2e/scan_validate_cli_test.cpp checks no request reaches a server).
TEST(ValidatePolicy, NoValidateResolvesNothing) {
  SettingsInput input;
  input.args.validate.only_live = true;
  input.args.validate.sentry_urls = {"not a url"};
  const Settings settings = resolve_settings(input);
  EXPECT_FALSE(settings.validate);
  EXPECT_TRUE(settings.validation.routing.allowed.empty());
  input.args.validate.enabled = true;
  EXPECT_THROW(resolve_settings(input), InputError);
}

TEST(ValidatePolicy, OnlyLiveKeepsLiveFindings) {
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
  validate::run_validation_stage(findings, validate::resolve_settings(options, {}), options.only_live, issues);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "sentry-user-token");
  EXPECT_EQ(findings[0].validation.status, ValidationStatus::live);
}

TEST(ValidatePolicy, ConfigValuesApplyAndFlagsOverrideThem) {
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
  validate::run_validation_stage(findings, validate::resolve_settings(options, config), options.only_live, issues);
  EXPECT_EQ(findings[0].validation.status, ValidationStatus::live);
  EXPECT_EQ(self_hosted.count(), 1u);

  options.concurrency = 5;
  EXPECT_EQ(validate::resolve_settings(options, config).concurrency, 5u);
  options.concurrency.reset();
  EXPECT_EQ(validate::resolve_settings(options, config).concurrency, 2u);
}

TEST(ValidatePolicy, BadSettingsAreRejectedBeforeAnyRequest) {
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
