// The GitLab secret-detection report, checked against what GitLab's published
// schema (security-report-schemas, secret-detection-report-format.json,
// v15.0.7) requires, written from its documentation: GitLab drops a report
// that does not validate, so a missing field hides every finding.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <limits>
#include <regex>
#include <set>

#include "support/report_fixtures.h"

namespace sentryscan::testing {
namespace {

using nlohmann::json;

bool non_empty_string(const json& value) { return value.is_string() && !value.get<std::string>().empty(); }

bool matches(const json& value, const char* pattern) {
  return value.is_string() && std::regex_match(value.get<std::string>(), std::regex(pattern));
}

// Every field the schema requires, with its type, enum or pattern. Returns
// the problems found; empty means GitLab accepts the report. Works on a copy
// through non-const operator[], which reads a missing key as null (the const
// one asserts on it in a Debug build).
std::vector<std::string> gitlab_problems(json report) {
  std::vector<std::string> problems;
  auto need = [&problems](bool ok, const std::string& what) {
    if (!ok) problems.push_back(what);
  };
  need(matches(report["version"], R"(\d+\.\d+\.\d+)"), "version x.y.z");
  if (report.contains("schema")) need(matches(report["schema"], "https?://.+"), "schema is a URL");
  json& scan = report["scan"];
  need(scan.is_object(), "scan");
  for (const char* part : {"analyzer", "scanner"}) {
    json& tool = scan[part];
    for (const char* field : {"id", "name", "version"}) need(non_empty_string(tool[field]), std::string(part) + "." + field);
    need(non_empty_string(tool["vendor"]["name"]), std::string(part) + ".vendor.name");
    if (tool.contains("url") && std::string(part) == "analyzer") need(matches(tool["url"], "https?://.+"), "analyzer.url");
  }
  need(scan["type"] == "secret_detection", "scan.type secret_detection");
  need(scan["status"] == "success" || scan["status"] == "failure", "scan.status success|failure");
  for (const char* field : {"start_time", "end_time"})
    need(matches(scan[field], R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})"), std::string("scan.") + field);
  if (scan.contains("messages"))
    for (json& message : scan["messages"]) {
      need(message["level"] == "info" || message["level"] == "warn" || message["level"] == "fatal", "message.level");
      need(non_empty_string(message["value"]), "message.value");
    }
  need(report["vulnerabilities"].is_array(), "vulnerabilities[]");
  if (!report["vulnerabilities"].is_array()) return problems;
  for (json& v : report["vulnerabilities"]) {
    need(non_empty_string(v["id"]), "id");
    if (v.contains("name")) need(v["name"].is_string() && v["name"].get<std::string>().size() <= 255, "name");
    if (v.contains("description")) need(v["description"].is_string(), "description");
    if (v.contains("solution")) need(v["solution"].is_string() && v["solution"].get<std::string>().size() <= 7000, "solution");
    if (v.contains("severity")) {
      const std::set<std::string> severities{"Info", "Unknown", "Low", "Medium", "High", "Critical"};
      need(v["severity"].is_string() && severities.contains(v["severity"].get<std::string>()), "severity enum");
    }
    need(v["identifiers"].is_array() && !v["identifiers"].empty(), "identifiers[] (at least one)");
    for (json& identifier : v["identifiers"])
      for (const char* field : {"type", "name", "value"}) need(non_empty_string(identifier[field]), std::string("identifier.") + field);
    json& location = v["location"];
    need(location.is_object(), "location");
    need(non_empty_string(location["commit"]["sha"]), "location.commit.sha");
    if (location.contains("file")) need(location["file"].is_string(), "location.file");
    for (const char* field : {"start_line", "end_line"})
      if (location.contains(field)) need(location[field].is_number(), std::string("location.") + field);
    for (const char* field : {"author", "date", "message"})
      if (location["commit"].contains(field)) need(location["commit"][field].is_string(), std::string("commit.") + field);
    if (v.contains("raw_source_code_extract")) need(v["raw_source_code_extract"].is_string(), "raw_source_code_extract");
    if (v.contains("details"))
      for (auto& [key, detail] : v["details"].items()) {
        need(non_empty_string(detail["name"]), "details." + key + ".name");
        need(detail["type"] == "text" && detail["value"].is_string(), "details." + key + " is a text detail");
      }
  }
  return problems;
}

json gitlab_of(const Report& report, ReportOptions options = {}) {
  return json::parse(render(ReportFormat::gitlab, report, options));
}

TEST(GitlabReport, CheckerRejectsBrokenReports) {
  json report = gitlab_of(full_report());
  ASSERT_TRUE(gitlab_problems(report).empty());
  report["vulnerabilities"][0]["location"]["commit"].erase("sha");
  report["scan"]["start_time"] = "2024-05-01T10:00:00Z";
  report["vulnerabilities"][1]["severity"] = "high";
  EXPECT_EQ(gitlab_problems(report).size(), 3u);
}

TEST(GitlabReport, FullReportHasEveryRequiredField) {
  const json report = gitlab_of(full_report());
  const auto problems = gitlab_problems(report);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems) << "\n" << report.dump(2);
  EXPECT_EQ(report["version"], "15.0.7");
  EXPECT_EQ(report["vulnerabilities"].size(), 4u);
  EXPECT_EQ(report["scan"]["scanner"]["id"], "sentryscan");
}

TEST(GitlabReport, EmptyReportIsStillValid) {
  const json report = gitlab_of(Report{});
  EXPECT_TRUE(gitlab_problems(report).empty()) << report.dump(2);
  EXPECT_TRUE(report["vulnerabilities"].empty());
  EXPECT_EQ(report["scan"]["status"], "success");
}

// Found by fuzz_report: a duration beyond the epoch overflowed the start time.
TEST(GitlabReport, AnImpossibleDurationStillGivesValidTimes) {
  for (const double seconds : {1e300, -1e300, std::numeric_limits<double>::quiet_NaN()}) {
    Report report;
    report.stats.seconds = seconds;
    const json gitlab = gitlab_of(report);
    EXPECT_TRUE(gitlab_problems(gitlab).empty()) << gitlab.dump(2);
    EXPECT_LE(gitlab["scan"]["start_time"].get<std::string>(), gitlab["scan"]["end_time"].get<std::string>());
  }
}

TEST(GitlabReport, IdsAreUniqueDeterministicUuids) {
  Finding twin = org_token_finding();  // same secret, another file
  twin.source.path = "ci/other.yml";
  Report report = full_report();
  report.findings.push_back(twin);
  report.findings.push_back(report.findings.front());  // an exact repeat still gets its own id
  const json first = gitlab_of(report);
  const json again = gitlab_of(report);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < first["vulnerabilities"].size(); ++i) {
    const std::string id = first["vulnerabilities"][i]["id"];
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        << id;
    EXPECT_EQ(again["vulnerabilities"][i]["id"], id) << "ids must not change between runs";
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), report.findings.size());
}

TEST(GitlabReport, SeveritiesLocationAndCommit) {
  const json report = gitlab_of(full_report());
  const json& org = report["vulnerabilities"][0];
  EXPECT_EQ(org["severity"], "Critical");
  EXPECT_EQ(report["vulnerabilities"][1]["severity"], "High");
  EXPECT_EQ(report["vulnerabilities"][2]["severity"], "Medium");
  EXPECT_EQ(report["vulnerabilities"][3]["severity"], "Low");
  EXPECT_EQ(org["identifiers"][0]["value"], "sentry-org-token");
  EXPECT_EQ(org["location"]["file"], "ci/deploy.yml");
  EXPECT_EQ(org["location"]["start_line"], 12);
  EXPECT_EQ(org["location"]["commit"]["sha"], org_token_finding().source.commit);
  EXPECT_EQ(org["location"]["commit"]["author"], "Jane Doe");
  EXPECT_EQ(org["details"]["fingerprint"]["value"], org_token_finding().fingerprint);
  // A file finding has no commit; the schema still requires one.
  EXPECT_EQ(report["vulnerabilities"][1]["location"]["commit"]["sha"], "0000000");
}

TEST(GitlabReport, RedactedUnlessShowSecrets) {
  const Report report = full_report();
  const std::string text = render(ReportFormat::gitlab, report);
  for (const Finding& f : report.findings) {
    EXPECT_EQ(text.find(f.secret), std::string::npos) << f.rule_id;
    EXPECT_NE(text.find(redact(f.secret)), std::string::npos) << f.rule_id;
  }
  ReportOptions show;
  show.show_secrets = true;
  EXPECT_EQ(gitlab_of(report, show)["vulnerabilities"][0]["raw_source_code_extract"], report.findings[0].secret);
}

TEST(GitlabReport, AuthorEmailOnlyWhenAskedFor) {
  const Report report = full_report();
  EXPECT_EQ(render(ReportFormat::gitlab, report).find("jane@example.com"), std::string::npos);
  ReportOptions options;
  options.author_email = true;
  EXPECT_EQ(gitlab_of(report, options)["vulnerabilities"][0]["location"]["commit"]["author"],
            "Jane Doe <jane@example.com>");
}

TEST(GitlabReport, ProblemsAreMessagesAndIncompleteIsFailure) {
  Report report = full_report();
  report.finished_at = 1714557600;  // 2024-05-01T10:00:00Z
  report.stats.seconds = 61.4;
  const json scan = gitlab_of(report)["scan"];
  EXPECT_EQ(scan["status"], "failure");
  EXPECT_EQ(scan["end_time"], "2024-05-01T10:00:00");
  EXPECT_EQ(scan["start_time"], "2024-05-01T09:58:59");
  ASSERT_EQ(scan["messages"].size(), 2u);
  EXPECT_EQ(scan["messages"][1]["level"], "warn");
  EXPECT_NE(scan["messages"][1]["value"].get<std::string>().find("secret/locked.env"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
