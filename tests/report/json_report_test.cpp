#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/secret_hash.h"
#include "report/finding_json.h"
#include "support/report_fixtures.h"

namespace sentryscan::testing {
namespace {

using nlohmann::json;

TEST(JsonReport, ArrayHoldsOneObjectPerFindingWithSpecFields) {
  const Report report = full_report();
  const json parsed = json::parse(render(ReportFormat::json, report));
  ASSERT_TRUE(parsed.is_array());
  ASSERT_EQ(parsed.size(), 4u);

  const Finding& f = report.findings[0];
  const json& o = parsed[0];
  EXPECT_EQ(o["rule_id"], "sentry-org-token");
  EXPECT_EQ(o["severity"], "critical");
  EXPECT_EQ(o["description"], "Sentry organization auth token");
  EXPECT_EQ(o["secret"], redact(f.secret));
  EXPECT_EQ(o["secret_sha256"], sha256_hex(f.secret));
  EXPECT_EQ(o["fingerprint"], f.fingerprint);
  EXPECT_EQ(o["location"], json({{"path", "ci/deploy.yml"},
                                 {"line", 12},
                                 {"column", 22},
                                 {"end_line", 12},
                                 {"end_column", f.location.end_column}}));
  EXPECT_EQ(o["source"], json({{"kind", "git"},
                               {"commit", f.source.commit},
                               {"author", "Jane Doe"},
                               {"email", "jane@example.com"},
                               {"date", "2024-05-01T10:00:00Z"},
                               {"message", "Add deploy pipeline"},
                               {"blob", f.source.blob},
                               {"other_locations", 2}}));
  EXPECT_EQ(o["token"], json({{"org", "acme"},
                              {"url", "https://sentry.io"},
                              {"region_url", "https://us.sentry.io"},
                              {"issued_at", "2024-05-01T00:00:00Z"}}));
  EXPECT_FALSE(o.contains("dsn"));
  EXPECT_EQ(o["validation"], json({{"status", "live"}, {"http_status", 200}}));
}

TEST(JsonReport, KeysFollowTheSpecOrder) {
  const std::string text = render(ReportFormat::json, full_report());
  const auto rule = text.find("\"rule_id\""), severity = text.find("\"severity\""),
             location = text.find("\"location\""), validation = text.find("\"validation\"");
  ASSERT_NE(rule, std::string::npos);
  EXPECT_LT(rule, severity);
  EXPECT_LT(severity, location);
  EXPECT_LT(location, validation);
}

TEST(JsonReport, OptionalFieldsAppearOnlyWhereTheyApply) {
  const json parsed = json::parse(render(ReportFormat::json, full_report()));
  const json& user = parsed[1];
  EXPECT_EQ(user["source"], json({{"kind", "file"}}));
  EXPECT_EQ(user["binary"], true);
  EXPECT_EQ(user["decoded"], json::array({"base64"}));
  EXPECT_FALSE(user.contains("token"));
  EXPECT_FALSE(user.contains("dsn"));
  EXPECT_EQ(user["validation"], json({{"status", "revoked"}, {"http_status", 401}, {"detail", "token revoked or expired"}}));

  const json& legacy = parsed[2];
  EXPECT_EQ(legacy["source"], json({{"kind", "staged"}}));
  EXPECT_FALSE(legacy.contains("binary"));
  EXPECT_FALSE(legacy.contains("decoded"));
  EXPECT_EQ(legacy["validation"], json({{"status", "not_checked"}}));

  const json& dsn = parsed[3];
  EXPECT_EQ(dsn["dsn"], json({{"host", "o123.ingest.us.sentry.io"},
                              {"project_id", "456"},
                              {"org_id", "123"},
                              {"region", "us"},
                              {"saas", true}}));
  EXPECT_FALSE(dsn["dsn"].contains("public_key"));
}

TEST(JsonReport, SelfHostedDsnAndNullUrlUseJsonNull) {
  Finding dsn = dsn_finding();
  dsn.dsn->host = "sentry.internal.example";
  dsn.dsn->org_id.clear();
  dsn.dsn->region.clear();
  dsn.dsn->saas = false;
  Finding org = org_token_finding();
  org.token->url = std::nullopt;
  org.token->region_url.clear();
  Report report;
  report.findings = {dsn, org};
  const json parsed = json::parse(render(ReportFormat::json, report));
  EXPECT_TRUE(parsed[0]["dsn"]["org_id"].is_null());
  EXPECT_TRUE(parsed[0]["dsn"]["region"].is_null());
  EXPECT_EQ(parsed[0]["dsn"]["saas"], false);
  EXPECT_TRUE(parsed[1]["token"]["url"].is_null());
  EXPECT_EQ(parsed[1]["token"]["region_url"], "");
}

TEST(JsonReport, JsonlIsTheSameObjectsOnePerLine) {
  const Report report = full_report();
  const json array = json::parse(render(ReportFormat::json, report));
  std::istringstream lines(render(ReportFormat::jsonl, report));
  std::string line;
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(count, array.size());
    EXPECT_EQ(json::parse(line), array[count]) << "line " << count;
    ++count;
  }
  EXPECT_EQ(count, report.findings.size());
}

TEST(JsonReport, EmptyReportIsAnEmptyArrayAndNoLines) {
  const Report empty;
  EXPECT_EQ(json::parse(render(ReportFormat::json, empty)), json::array());
  EXPECT_EQ(render(ReportFormat::jsonl, empty), "");
}

TEST(JsonReport, HostilePathsStayValidJson) {
  Finding f = user_token_finding();
  f.source.path = std::string("dir/\xff\xfe\"quoted\"\nnext\x01line.env");
  f.source.kind = SourceKind::git;
  f.source.commit = "abc";
  f.source.message = std::string("bad \xc3 utf8 \x1b[31m");
  f.source.author = "Zoë \"Z\" \\ O'Neil";
  Report report;
  report.findings = {f};
  for (ReportFormat format : {ReportFormat::json, ReportFormat::jsonl}) {
    const std::string text = render(format, report);
    json parsed;
    ASSERT_NO_THROW(parsed = json::parse(text)) << text;
    const json& o = parsed.is_array() ? parsed[0] : parsed;
    const std::string path = o["location"]["path"];
    EXPECT_EQ(path, "dir/\xEF\xBF\xBD\xEF\xBF\xBD\"quoted\"\nnext\x01line.env");
    EXPECT_EQ(o["source"]["author"], "Zoë \"Z\" \\ O'Neil");
    EXPECT_NE(o["source"]["message"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
  }
}

TEST(JsonReport, FindingToJsonMatchesTheReportObject) {
  const Finding f = org_token_finding();
  const json redacted = finding_to_json(f, false);
  EXPECT_EQ(redacted, json::parse(render(ReportFormat::json, report_of({f})))[0]);
  EXPECT_EQ(redacted["secret"], redact(f.secret));
  EXPECT_EQ(finding_to_json(f, true)["secret"], f.secret);
}

}  // namespace
}  // namespace sentryscan::testing
