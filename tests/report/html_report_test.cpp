// The html reporter, in process: the page's Content-Security-Policy, the
// escaping of its embedded data, redaction, grouping by secret, and where
// each kind of credential is revoked (links only on validated hosts).
// tests/e2e/html_report_browser_test.cpp loads real reports in Chromium.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/html_internal.h"
#include "settings/validation.h"
#include "support/report_fixtures.h"

namespace sentryscan::testing {
namespace {

using report_detail::csp_hash;
using report_detail::plain_slug;
using report_detail::revoke_advice;
using report_detail::script_safe_json;

std::string between(const std::string& text, const std::string& open, const std::string& close,
                     std::size_t from = 0) {
  const auto start = text.find(open, from);
  if (start == std::string::npos) return {};
  const auto end = text.find(close, start + open.size());
  return end == std::string::npos ? std::string() : text.substr(start + open.size(), end - start - open.size());
}

nlohmann::json embedded_data(const std::string& page) {
  return nlohmann::json::parse(between(page, "<script type=\"application/json\" id=\"sentryscan-data\">", "</script>"));
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, CspHashIsBase64OfSha256) {
  // The well-known SHA-256 of the empty string, as CSP writes it.
  EXPECT_EQ(csp_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
}

TEST(HtmlReport, PolicyAllowsExactlyThePageScriptAndStyleByHash) {
  const std::string page = render(ReportFormat::html, full_report());
  const std::string policy = between(page, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
  ASSERT_FALSE(policy.empty()) << page.substr(0, 400);
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe"), std::string::npos) << policy;
  const std::string style = between(page, "<style>", "</style>");
  const auto data_end = page.find("</script>");
  const std::string script = between(page, "<script>", "</script>", data_end);
  ASSERT_FALSE(script.empty());
  EXPECT_NE(policy.find("script-src " + csp_hash(script) + ";"), std::string::npos) << policy;
  EXPECT_NE(policy.find("style-src " + csp_hash(style) + ";"), std::string::npos) << policy;
  EXPECT_EQ(count(page, "<script"), 2u);  // the data block and the one script
}

TEST(HtmlReport, EmbeddedDataCannotCloseItsScriptBlock) {
  Finding f = org_token_finding();
  f.source.message = "</script><script>alert(1)</script><!-- \xE2\x80\xA8 \xE2\x80\xA9 & done";
  f.source.path = "\"><img src=x onerror=alert(1)>.env";
  f.source.author = "</SCRIPT >";
  const std::string page = render(ReportFormat::html, report_of({f}));
  EXPECT_EQ(count(page, "</script>"), 2u);
  EXPECT_EQ(page.find("</SCRIPT"), std::string::npos);
  EXPECT_EQ(page.find("<!--"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("\xE2\x80\xA8"), std::string::npos);
  const auto data = embedded_data(page);
  EXPECT_EQ(data["findings"][0]["message"], f.source.message);  // escaped, not altered
  EXPECT_EQ(data["findings"][0]["path"], f.source.path);
  EXPECT_EQ(data["findings"][0]["author"], f.source.author);
}

TEST(HtmlReport, ScriptSafeJsonEscapesOnlyWhatCouldEndTheBlock) {
  EXPECT_EQ(script_safe_json(R"({"a":"</script>&x"})"), R"({"a":"\u003c/script\u003e\u0026x"})");
  EXPECT_EQ(script_safe_json("\"\xE2\x80\xA8\xE2\x80\xA9\xE2\x80\xA7\""), "\"\\u2028\\u2029\xE2\x80\xA7\"");
}

TEST(HtmlReport, SecretsAreRedactedUnlessShown) {
  const Report report = full_report();
  const std::string redacted = render(ReportFormat::html, report);
  for (const auto& f : report.findings) EXPECT_EQ(redacted.find(f.secret), std::string::npos) << f.rule_id;
  EXPECT_TRUE(embedded_data(redacted)["redacted"].get<bool>());
  const std::string shown = render(ReportFormat::html, report, {.show_secrets = true});
  EXPECT_NE(shown.find(report.findings[0].secret), std::string::npos);
}

TEST(HtmlReport, AuthorEmailOnlyWhenAsked) {
  const Report report = report_of({org_token_finding()});
  EXPECT_EQ(render(ReportFormat::html, report).find("jane@example.com"), std::string::npos);
  EXPECT_NE(render(ReportFormat::html, report, {.author_email = true}).find("jane@example.com"), std::string::npos);
}

TEST(HtmlReport, GroupsLocationsBySecretWithTheEarliestCommitFirst) {
  Finding later = org_token_finding();
  later.source.date = "2024-06-01T00:00:00Z";
  later.source.commit = std::string(40, 'b');
  later.source.path = "b.yml";
  later.source.other_locations = 0;
  Finding earlier = later;
  earlier.source.date = "2024-02-01T00:00:00Z";
  earlier.source.commit = std::string(40, 'a');
  earlier.source.path = "a.yml";
  Finding other_repository = earlier;
  other_repository.source.repository = "https://git.example/other.git";
  const auto data = embedded_data(render(ReportFormat::html, report_of({later, earlier, other_repository, dsn_finding()})));
  ASSERT_EQ(data["secrets"].size(), 3u);
  EXPECT_EQ(data["secrets"][0]["first"]["commit"], earlier.source.commit);
  EXPECT_EQ(data["secrets"][0]["first"]["path"], "a.yml");
  EXPECT_EQ(data["secrets"][0]["locations"], 2);
  EXPECT_EQ(data["secrets"][0]["commits"], 2);
  EXPECT_EQ(data["secrets"][1]["repository"], "https://git.example/other.git");
  EXPECT_EQ(data["findings"][1]["secret_group"], 0);
  EXPECT_EQ(data["findings"][2]["secret_group"], 1);
  EXPECT_TRUE(data["has_dates"].get<bool>());
  const auto& by_repository = data["summary"]["by_repository"];
  ASSERT_EQ(by_repository.size(), 2u);
  EXPECT_EQ(by_repository[1]["name"], "https://git.example/other.git");
  EXPECT_EQ(by_repository[1]["secrets"], 1);
}

TEST(HtmlReport, PlainSlugs) {
  for (const std::string& ok : std::vector<std::string>{"acme", "acme-corp", "a", "my_org", "0day", std::string(50, 'a')})
    EXPECT_TRUE(plain_slug(ok)) << ok;
  for (const std::string& bad : std::vector<std::string>{"", "Acme", "acme/../x", "a\"b", "-acme", "_acme", "12345", "acme corp", "%2e",
                                "acme.io", "acme?x", "acme#x", "\xC3\xA9t\xC3\xA9", std::string(51, 'a')})
    EXPECT_FALSE(plain_slug(bad)) << bad;
}

Finding org_token(std::optional<std::string> url, std::string org) {
  Finding f = org_token_finding();
  f.token->url = std::move(url);
  f.token->org = std::move(org);
  return f;
}

std::vector<validate::BaseUrl> bases(std::initializer_list<const char*> urls) {
  std::vector<validate::BaseUrl> out;
  for (const char* url : urls) out.push_back(*validate::parse_base_url(url));
  return out;
}

TEST(HtmlRevoke, SaasOrgTokenLinksItsOrganisationTokensPage) {
  const auto advice = revoke_advice(org_token("https://sentry.io", "acme"), {});
  ASSERT_EQ(advice.links.size(), 1u);
  EXPECT_EQ(advice.links[0].url, "https://sentry.io/settings/acme/auth-tokens/");
  EXPECT_NE(advice.text.find("Organization Tokens"), std::string::npos);
}

TEST(HtmlRevoke, OrgSlugThatIsNotPlainGetsNoLink) {
  for (const char* org : {"acme/../../evil", "a\"><img src=x>", "ACME", "acme?next=//evil.example"}) {
    const auto advice = revoke_advice(org_token("https://sentry.io", org), {});
    EXPECT_TRUE(advice.links.empty()) << org;
    EXPECT_EQ(advice.text.find(org), std::string::npos) << "the slug is not repeated: " << advice.text;
  }
}

TEST(HtmlRevoke, PayloadUrlOffTheAllowedHostsGetsNoLink) {
  for (const char* url : {"javascript:alert(1)", "https://evil.example", "https://sentry.io.evil.example",
                          "https://sentry.io@evil.example", "data:text/html,x", "//evil.example"}) {
    const auto advice = revoke_advice(org_token(url, "acme"), bases({"https://sentry.corp.example"}));
    EXPECT_TRUE(advice.links.empty()) << url;
  }
  const auto named = revoke_advice(org_token("https://evil.example", "acme"), {});
  EXPECT_NE(named.text.find("evil.example"), std::string::npos) << named.text;  // says where, does not link
  EXPECT_NE(named.text.find("--sentry-url"), std::string::npos);
}

TEST(HtmlRevoke, AllowedSelfHostedBaseIsLinkedFromTheUsersBaseNotThePayloadText) {
  const auto allowed = bases({"https://sentry.corp.example/sentry"});
  const auto advice = revoke_advice(org_token("HTTPS://Sentry.Corp.Example:443", "acme"), allowed);
  ASSERT_EQ(advice.links.size(), 1u);
  EXPECT_EQ(advice.links[0].url, "https://sentry.corp.example/sentry/settings/acme/auth-tokens/");
  // An older install's payload names no URL: the one allowed base is the user's answer.
  const auto null_url = revoke_advice(org_token(std::nullopt, "acme"), allowed);
  ASSERT_EQ(null_url.links.size(), 1u);
  EXPECT_TRUE(revoke_advice(org_token(std::nullopt, "acme"), bases({"https://a.example", "https://b.example"})).links.empty());
}

TEST(HtmlRevoke, AccountTokensLinkSentryIoAndEachAllowedBase) {
  const auto advice = revoke_advice(user_token_finding(), bases({"https://sentry.corp.example"}));
  ASSERT_EQ(advice.links.size(), 2u);
  EXPECT_EQ(advice.links[0].url, "https://sentry.io/settings/account/api/auth-tokens/");
  EXPECT_EQ(advice.links[1].url, "https://sentry.corp.example/settings/account/api/auth-tokens/");
  Finding secret = user_token_finding();
  secret.rule_id = "sentry-user-app-secret";
  EXPECT_EQ(revoke_advice(secret, {}).links.at(0).url, "https://sentry.io/settings/account/api/applications/");
}

TEST(HtmlRevoke, DsnSaysWhereToGoWithoutALink) {
  const auto advice = revoke_advice(dsn_finding(), {});
  EXPECT_TRUE(advice.links.empty());
  EXPECT_NE(advice.text.find("Client Keys (DSN) of project id 456"), std::string::npos) << advice.text;
  EXPECT_NE(advice.text.find("organisation with id 123"), std::string::npos) << advice.text;
  Finding odd = dsn_finding();
  odd.dsn->project_id = "456\"><b>";
  EXPECT_EQ(revoke_advice(odd, {}).text.find("456\""), std::string::npos);
}

TEST(HtmlRevoke, OrgLevelKeysWithoutAnOrgSayWhereWithoutALink) {
  EXPECT_TRUE(revoke_advice(legacy_key_finding(), {}).links.empty());
  Finding integration = user_token_finding();
  integration.rule_id = "sentry-integration-token";
  const auto advice = revoke_advice(integration, {});
  EXPECT_TRUE(advice.links.empty());
  EXPECT_NE(advice.text.find("Custom Integrations"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
