// `--format html` through the real binary, loaded in headless Chromium
// (support/browser.h): the page renders with no console error, no CSP
// violation and no network request; its filters and sorting work; and text
// written by whoever wrote the repository (paths, commit messages, authors,
// token payloads) stays text: no element, handler, dialog or link it could add.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "support/browser.h"
#include "support/fake_tokens.h"
#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

const std::string kHostilePath = "\"><img src=x onerror=alert(1)>.env";
const std::string kHostileMessage = "</script><script>alert(2)</script><iframe src=//evil.example></iframe>";
// git drops '<' and '>' from names (and quotes or ';' at either end); inner quotes and entities stay.
const std::string kHostileAuthor = "Mallory\" onmouseover=alert(3) x='&lt;b&gt;' Jr";

struct HtmlRun {
  CliResult process;
  std::filesystem::path page;
};

HtmlRun html_report(const TempDir& out, const std::vector<std::string>& args) {
  HtmlRun run;
  run.page = out.path() / "report.html";
  std::vector<std::string> full = args;
  for (const char* arg : {"--format", "html", "-o"}) full.push_back(arg);
  full.push_back(run.page.string());
  CliOptions options;
  options.env = git_test_env();
  run.process = run_sentryscan(full, options);
  return run;
}

// What every page must satisfy, whatever it shows.
void expect_clean_page(const nlohmann::json& run) {
  EXPECT_EQ(run["console"], nlohmann::json::array()) << run["console"].dump();
  EXPECT_EQ(run["exceptions"], nlohmann::json::array()) << run["exceptions"].dump();
  EXPECT_EQ(run["log"], nlohmann::json::array()) << "console/CSP/network errors: " << run["log"].dump();
  EXPECT_EQ(run["dialogs"], nlohmann::json::array()) << run["dialogs"].dump();
  EXPECT_EQ(run["requests"], nlohmann::json::array({run["page_url"]})) << "requests: " << run["requests"].dump();
  for (const auto& probe : run["probes"]) {
    EXPECT_EQ(probe["violations"], nlohmann::json::array()) << probe["violations"].dump();
    EXPECT_EQ(probe["handlers"], nlohmann::json::array()) << probe["handlers"].dump();
    const auto& tags = probe["elements"];
    for (const char* tag : {"img", "iframe", "object", "embed", "b", "form", "base", "link"})
      EXPECT_EQ(std::count(tags.begin(), tags.end(), tag), 0) << tag;
    EXPECT_EQ(std::count(tags.begin(), tags.end(), "script"), 2) << "the data block and the page's one script";
    for (const auto& href : probe["links"]) EXPECT_EQ(href.get<std::string>().rfind("https://sentry.io/", 0), 0u) << href;
  }
}

// Three secrets in four places: an org token (critical) added, then copied;
// a user token (high) under a hostile path, by a hostile author and message;
// a DSN (low).
GitRepo audited_repository() {
  GitRepo repo;
  repo.commit_file("README.md", "hello\n", "init");
  const std::string org = fake_org_token("html-org", {.org = "acme"});
  repo.commit_file("ci/deploy.yml", "token: " + org + "\n", "add deploy pipeline");
  repo.commit_file("ci/copy.yml", "# copied\ntoken: " + org + "\n", "copy the pipeline");
  repo.write(kHostilePath, user_token_line("html-user"));
  repo.git({"add", "-A"});
  repo.git({"commit", "-q", "-m", kHostileMessage}, {{"GIT_AUTHOR_NAME", kHostileAuthor}});
  repo.commit_file("web/sentry.js", "Sentry.init({dsn: '" + fake_dsn("html-dsn") + "'})\n", "add sentry");
  return repo;
}

TEST(HtmlReportBrowser, RendersWithoutErrorsAndRequestsNothing) {
  const auto chromium = find_chromium();
  if (!chromium) SKIP_WITHOUT_CHROMIUM();
  GitRepo repo = audited_repository();
  TempDir out;
  const HtmlRun run = html_report(out, {"git", repo.path().string()});
  ASSERT_EQ(run.process.exit_code, 1) << run.process.err;
  const auto page = probe_page(*chromium, run.page);
  expect_clean_page(page);
  const auto& probe = page["probes"][0];
  EXPECT_EQ(probe["rows"], 4);
  EXPECT_EQ(probe["visible"], 4);
  EXPECT_EQ(probe["timeline_rows"], 3) << "one row per secret, however many places hold it";
  EXPECT_EQ(probe["shown_count"], "4 of 4 findings shown");
  const std::string text = probe["body_text"];
  EXPECT_NE(text.find("When each secret entered history"), std::string::npos);
  EXPECT_NE(text.find("Client Keys (DSN) of project id 4500000000000001"), std::string::npos);
}

TEST(HtmlReportBrowser, FiltersAndSortingWork) {
  const auto chromium = find_chromium();
  if (!chromium) SKIP_WITHOUT_CHROMIUM();
  GitRepo repo = audited_repository();
  TempDir out;
  const HtmlRun run = html_report(out, {"git", repo.path().string()});
  ASSERT_EQ(run.process.exit_code, 1) << run.process.err;
  const nlohmann::json steps = {
      {{"select", "#filter-severity"}, {"value", "critical"}},
      {{"select", "#filter-severity"}, {"value", ""}},
      {{"select", "#filter-rule"}, {"value", "sentry-dsn"}},
      {{"select", "#filter-rule"}, {"value", ""}},
      {{"type", "#filter-text"}, {"value", "DEPLOY"}},
      {{"type", "#filter-text"}, {"value", "mallory"}},
      {{"type", "#filter-text"}, {"value", "no such thing"}},
      {{"type", "#filter-text"}, {"value", ""}},
      {{"select", "#filter-status"}, {"value", "not_checked"}},
      {{"click", "#sort-where"}},
      {{"click", "#sort-where"}}};
  const auto page = probe_page(*chromium, run.page, steps);
  expect_clean_page(page);
  const auto& p = page["probes"];
  EXPECT_EQ(p[1]["visible"], 2) << "the org token, in two files";
  EXPECT_EQ(p[2]["visible"], 4);
  EXPECT_EQ(p[3]["visible"], 1);
  EXPECT_EQ(p[3]["visible_paths"][0], "web/sentry.js:1");
  EXPECT_EQ(p[5]["visible_paths"], nlohmann::json::array({"ci/deploy.yml:1"})) << "search ignores case";
  EXPECT_EQ(p[1]["visible_paths"], nlohmann::json::array({"ci/copy.yml:2", "ci/deploy.yml:1"}));
  EXPECT_EQ(p[6]["visible_paths"], nlohmann::json::array({kHostilePath + ":1"})) << "authors are searched";
  EXPECT_EQ(p[7]["visible"], 0);
  EXPECT_EQ(p[7]["shown_count"], "0 of 4 findings shown");
  EXPECT_EQ(p[9]["visible"], 4);
  std::vector<std::string> paths = p[10]["visible_paths"];
  EXPECT_TRUE(std::is_sorted(paths.begin(), paths.end())) << p[10]["visible_paths"].dump();
  paths = p[11]["visible_paths"].get<std::vector<std::string>>();
  EXPECT_TRUE(std::is_sorted(paths.rbegin(), paths.rend())) << "a second click reverses";
}

TEST(HtmlReportBrowser, HostileTextAndPayloadsCannotInjectMarkupScriptOrLinks) {
  const auto chromium = find_chromium();
  if (!chromium) SKIP_WITHOUT_CHROMIUM();
  GitRepo repo = audited_repository();
  // Payloads the token's writer controls: a javascript: URL, another host,
  // slugs that would climb out of the settings path or out of an attribute.
  repo.commit_file("tokens/js.env", "T=" + fake_org_token("html-js", {.org = "acme", .url = "javascript:alert(4)"}) + "\n", "js");
  repo.commit_file("tokens/host.env", "T=" + fake_org_token("html-host", {.org = "acme", .url = "https://evil.example"}) + "\n", "host");
  repo.commit_file("tokens/slash.env", "T=" + fake_org_token("html-slash", {.org = "acme/../../evil"}) + "\n", "slash");
  repo.commit_file("tokens/quote.env",
                   "T=" + fake_org_token("html-quote", {.org = R"(acme\"><a href=//evil.example>x)"}) + "\n", "quote");
  // A --rules file is the user's, but its text is still only text.
  const std::string description = R"(</script><img src=x onerror=alert(5)> "ACME" <a href="//evil.example">key</a>)";
  TempDir out;
  const auto rules = out.write("acme.toml", "[[rule]]\nid = \"acme-relay-key\"\ndescription = '" + description +
                                                "'\nseverity = \"high\"\n[[rule.pattern]]\n"
                                                "prefilter = 'acmekey_[0-9a-f]{12}'\n"
                                                "confirm = '(?P<secret>acmekey_[0-9a-f]{12})'\n");
  repo.commit_file("relay.conf", "key = acmekey_" + fake_hex("html-relay", 12) + "\n", "relay");
  const HtmlRun run = html_report(out, {"git", repo.path().string(), "--rules", rules.string()});
  ASSERT_EQ(run.process.exit_code, 1) << run.process.err;
  const auto page = probe_page(*chromium, run.page, {{{"click", "#sort-commit"}}});
  expect_clean_page(page);
  const auto& probe = page["probes"][0];
  EXPECT_EQ(probe["rows"], 9);
  const std::string text = probe["body_text"];
  for (const std::string& shown : {kHostilePath, kHostileMessage, kHostileAuthor, description})
    EXPECT_NE(text.find(shown), std::string::npos) << "shown as text: " << shown;
  EXPECT_NE(text.find("Sentry at evil.example named by the payload"), std::string::npos);
  // Only the links built from valid parts: acme's org tokens page (the one
  // token with a sentry.io payload and a plain slug) and the personal tokens page.
  const auto links = probe["links"].get<std::vector<std::string>>();
  EXPECT_EQ(std::set<std::string>(links.begin(), links.end()),
            std::set<std::string>({"https://sentry.io/settings/acme/auth-tokens/",
                                   "https://sentry.io/settings/account/api/auth-tokens/"}))
      << probe["links"].dump();
}

TEST(HtmlReportBrowser, FileScanSaysItHasNoDates) {
  const auto chromium = find_chromium();
  if (!chromium) SKIP_WITHOUT_CHROMIUM();
  TempDir tree;
  tree.write("app/.env", user_token_line("html-files"));
  TempDir out;
  const HtmlRun run = html_report(out, {"scan", tree.path().string()});
  ASSERT_EQ(run.process.exit_code, 1) << run.process.err;
  const auto page = probe_page(*chromium, run.page);
  expect_clean_page(page);
  EXPECT_EQ(page["probes"][0]["rows"], 1);
  EXPECT_EQ(page["probes"][0]["timeline_rows"], 0);
  EXPECT_NE(page["probes"][0]["body_text"].get<std::string>().find("No dates"), std::string::npos);
}

TEST(HtmlReportCli, IsOneFileThatLoadsNothingFromElsewhere) {
  TempDir tree;
  tree.write("app/.env", user_token_line("html-cli"));
  TempDir out;
  const HtmlRun run = html_report(out, {"scan", tree.path().string()});
  ASSERT_EQ(run.process.exit_code, 1) << run.process.err;
  const std::string page = read_file(run.page);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* external : {" src=", " href=", "@import", "url("}) EXPECT_EQ(page.find(external), std::string::npos) << external;
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(page.find(user_token("html-cli")), std::string::npos) << "redacted by default";
}

TEST(HtmlReportCli, SelfHostedRevokeLinksOnlyOnBasesTheUserAllowed) {
  TempDir tree;
  tree.write("ci.env", "T=" + fake_org_token("html-self", {.org = "acme", .url = "https://sentry.corp.example"}) + "\n");
  const std::string link = "https://sentry.corp.example/settings/acme/auth-tokens/";
  TempDir out;
  // Without --validate: the allowed bases are read for the links alone, and nothing is sent.
  const HtmlRun allowed = html_report(out, {"scan", tree.path().string(), "--sentry-url", "https://sentry.corp.example"});
  ASSERT_EQ(allowed.process.exit_code, 1) << allowed.process.err;
  EXPECT_NE(read_file(allowed.page).find(link), std::string::npos);
  const HtmlRun not_allowed = html_report(out, {"scan", tree.path().string()});
  ASSERT_EQ(not_allowed.process.exit_code, 1) << not_allowed.process.err;
  const std::string page = read_file(not_allowed.page);
  EXPECT_EQ(page.find(link), std::string::npos);
  EXPECT_NE(page.find("Sentry at sentry.corp.example named by the payload"), std::string::npos);
  const HtmlRun bad = html_report(out, {"scan", tree.path().string(), "--sentry-url", "https://a@b.example"});
  EXPECT_EQ(bad.process.exit_code, 2) << "a malformed allowed base is a usage error";
}

}  // namespace
}  // namespace sentryscan::testing
