#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "support/report_fixtures.h"
#include "rules/rule.h"

namespace sentryscan::testing {
namespace {

using nlohmann::json;

// What GitHub code scanning requires of an upload (and SARIF 2.1.0 of any
// log), checked field by field. Returns the problems found; empty is valid.
std::vector<std::string> sarif_problems(const json& log) {
  std::vector<std::string> problems;
  auto need = [&problems](bool ok, const std::string& what) {
    if (!ok) problems.push_back(what);
  };
  need(log.value("version", "") == "2.1.0", "version 2.1.0");
  need(log.value("$schema", "").find("sarif-2.1.0") != std::string::npos, "$schema");
  if (!log.contains("runs") || !log["runs"].is_array() || log["runs"].empty()) return {"runs[]"};
  for (const json& run : log["runs"]) {
    need(run["tool"]["driver"]["name"].is_string() && !run["tool"]["driver"]["name"].get<std::string>().empty(),
         "tool.driver.name");
    std::vector<std::string> rule_ids;
    if (run["tool"]["driver"].contains("rules")) {
      for (const json& rule : run["tool"]["driver"]["rules"]) {
        need(rule["id"].is_string(), "rule.id");
        rule_ids.push_back(rule.value("id", ""));
        need(rule["shortDescription"]["text"].is_string(), "rule.shortDescription.text");
        need(rule["help"]["text"].is_string(), "rule.help.text");
        const std::string level = rule["defaultConfiguration"].value("level", "");
        need(level == "error" || level == "warning" || level == "note", "rule level");
        const std::string score = rule["properties"].value("security-severity", "");
        need(!score.empty() && std::stod(score) > 0 && std::stod(score) <= 10, "security-severity");
      }
    }
    need(std::set<std::string>(rule_ids.begin(), rule_ids.end()).size() == rule_ids.size(), "unique rule ids");
    need(run["results"].is_array(), "results[]");
    for (const json& result : run["results"]) {
      const std::string id = result.value("ruleId", "");
      const auto it = std::find(rule_ids.begin(), rule_ids.end(), id);
      need(it != rule_ids.end(), "ruleId " + id + " in driver.rules");
      if (result.contains("ruleIndex"))
        need(result["ruleIndex"].get<std::size_t>() == static_cast<std::size_t>(it - rule_ids.begin()), "ruleIndex");
      need(result["message"]["text"].is_string() && !result["message"]["text"].get<std::string>().empty(),
           "message.text");
      const std::string level = result.value("level", "warning");
      need(level == "error" || level == "warning" || level == "note", "result level");
      need(result["locations"].is_array() && !result["locations"].empty(), "locations[]");
      for (const json& location : result["locations"]) {
        const json& physical = location["physicalLocation"];
        need(physical["artifactLocation"]["uri"].is_string() &&
                 !physical["artifactLocation"]["uri"].get<std::string>().empty(),
             "artifactLocation.uri");
        const json& region = physical["region"];
        need(region["startLine"].is_number_integer() && region["startLine"].get<long>() >= 1, "region.startLine >= 1");
        need(region.value("startColumn", 1) >= 1, "region.startColumn >= 1");
        need(region.value("endLine", region["startLine"].get<long>()) >= region["startLine"].get<long>(),
             "endLine >= startLine");
        if (region.value("endLine", 0L) == region["startLine"].get<long>() && region.contains("endColumn"))
          need(region["endColumn"].get<long>() > region.value("startColumn", 1L), "endColumn > startColumn");
      }
      need(result["partialFingerprints"].is_object() && !result["partialFingerprints"].empty(), "partialFingerprints");
    }
    need(run["invocations"].is_array() && !run["invocations"].empty() &&
             run["invocations"][0]["executionSuccessful"].is_boolean(),
         "invocations[0].executionSuccessful");
  }
  return problems;
}

std::vector<Rule> rule_set() {
  std::vector<Rule> rules(3);
  rules[0].id = "sentry-org-token";
  rules[0].description = "Sentry organization auth token";
  rules[0].help = "Revoke it under Settings > Auth Tokens.";
  rules[0].severity = Severity::critical;
  rules[1].id = "sentry-user-token";
  rules[1].description = "Sentry user auth token";
  rules[1].severity = Severity::high;
  rules[2].id = "sentry-integration-token";
  rules[2].description = "Sentry integration token";
  rules[2].severity = Severity::high;
  return rules;
}

TEST(SarifReport, ValidatorRejectsBrokenLogs) {
  // The validator itself must be able to fail.
  json log = json::parse(render(ReportFormat::sarif, full_report()));
  EXPECT_TRUE(sarif_problems(log).empty());
  log["runs"][0]["results"][0]["ruleId"] = "not-a-rule";
  log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  EXPECT_EQ(sarif_problems(log).size(), 3u);  // ruleId, ruleIndex, startLine
}

TEST(SarifReport, FullReportIsValidForCodeScanning) {
  const json log = json::parse(render(ReportFormat::sarif, full_report()));
  const auto problems = sarif_problems(log);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
  EXPECT_EQ(log["runs"].size(), 1u);
  EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  const json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "sentryscan");
  EXPECT_EQ(driver["version"], SENTRYSCAN_VERSION);
  EXPECT_TRUE(driver["informationUri"].get<std::string>().starts_with("https://"));
}

TEST(SarifReport, ZeroLineAndColumnAreClampedToOne) {
  Finding f = user_token_finding();
  f.location = {0, 0, 0, 0};
  const json log = json::parse(render(ReportFormat::sarif, report_of({f})));
  EXPECT_TRUE(sarif_problems(log).empty()) << ::testing::PrintToString(sarif_problems(log));
  const json& region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(region["startLine"], 1);
  EXPECT_EQ(region["startColumn"], 1);
}

TEST(SarifReport, RulesComeFromTheRuleSetWithSeverityAndHelp) {
  Report report = full_report();
  const std::vector<Rule> rules = rule_set();
  report.rules = &rules;
  const json log = json::parse(render(ReportFormat::sarif, report));
  EXPECT_TRUE(sarif_problems(log).empty()) << ::testing::PrintToString(sarif_problems(log));
  const json& driver_rules = log["runs"][0]["tool"]["driver"]["rules"];
  // The three given rules (one without findings), then the two the findings
  // name but the rule set lacks.
  ASSERT_EQ(driver_rules.size(), 5u);
  EXPECT_EQ(driver_rules[0]["id"], "sentry-org-token");
  EXPECT_EQ(driver_rules[0]["name"], "SentryOrgToken");
  EXPECT_EQ(driver_rules[0]["shortDescription"]["text"], "Sentry organization auth token");
  EXPECT_NE(driver_rules[0]["help"]["text"].get<std::string>().find("Settings > Auth Tokens"), std::string::npos);
  EXPECT_NE(driver_rules[0]["help"]["markdown"].get<std::string>().find("sentryscan:allow"), std::string::npos);
  EXPECT_EQ(driver_rules[0]["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(driver_rules[0]["properties"]["security-severity"], "9.5");
  EXPECT_EQ(driver_rules[0]["properties"]["tags"], json::array({"security", "secret"}));
  EXPECT_EQ(driver_rules[2]["id"], "sentry-integration-token");
  EXPECT_EQ(driver_rules[2]["properties"]["security-severity"], "8.0");
  EXPECT_EQ(driver_rules[3]["id"], "sentry-legacy-api-key");
  EXPECT_EQ(driver_rules[3]["defaultConfiguration"]["level"], "warning");
  EXPECT_EQ(driver_rules[3]["properties"]["security-severity"], "5.0");
  EXPECT_EQ(driver_rules[4]["id"], "sentry-dsn");
  EXPECT_EQ(driver_rules[4]["defaultConfiguration"]["level"], "note");
  EXPECT_EQ(driver_rules[4]["properties"]["security-severity"], "3.0");
}

TEST(SarifReport, RulesAreDerivedFromFindingsWithoutARuleSet) {
  Report report;
  report.findings = {dsn_finding(), dsn_finding(), org_token_finding()};
  const json log = json::parse(render(ReportFormat::sarif, report));
  const json& driver_rules = log["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(driver_rules.size(), 2u);
  EXPECT_EQ(driver_rules[0]["id"], "sentry-dsn");
  EXPECT_EQ(driver_rules[1]["id"], "sentry-org-token");
  EXPECT_EQ(log["runs"][0]["results"][2]["ruleIndex"], 1);
}

TEST(SarifReport, ResultsCarryLevelRegionFingerprintAndProperties) {
  const Report report = full_report();
  const json log = json::parse(render(ReportFormat::sarif, report));
  const json& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[1]["level"], "error");
  EXPECT_EQ(results[2]["level"], "warning");
  EXPECT_EQ(results[3]["level"], "note");

  const Finding& f = report.findings[0];
  const json& org = results[0];
  const std::string message = org["message"]["text"];
  EXPECT_NE(message.find("sentry-org-token"), std::string::npos) << message;
  EXPECT_NE(message.find(redact(f.secret)), std::string::npos) << message;
  const json& physical = org["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"], json({{"uri", "ci/deploy.yml"}, {"uriBaseId", "%SRCROOT%"}}));
  EXPECT_EQ(physical["region"]["startLine"], 12);
  EXPECT_EQ(physical["region"]["startColumn"], 22);
  EXPECT_EQ(physical["region"]["endLine"], 12);
  EXPECT_EQ(physical["region"]["endColumn"], f.location.end_column + 1) << "SARIF end columns are exclusive";
  EXPECT_EQ(physical["region"]["snippet"]["text"], redact(f.secret));
  ASSERT_EQ(org["partialFingerprints"].size(), 1u) << org["partialFingerprints"];
  EXPECT_EQ(org["partialFingerprints"]["sentryscan/v2"].get<std::string>().size(), 32u);

  const json& props = org["properties"];
  EXPECT_EQ(props["severity"], "critical");
  EXPECT_EQ(props["validation"], json({{"status", "live"}, {"http_status", 200}}));
  EXPECT_EQ(props["token"]["org"], "acme");
  EXPECT_EQ(props["source"]["commit"], f.source.commit);
  EXPECT_EQ(props["source"]["author"], "Jane Doe");
  EXPECT_FALSE(props["source"].contains("email")) << "no author e-mail unless asked for";
  EXPECT_EQ(props["fingerprint"], f.fingerprint);
  EXPECT_EQ(props["secret_sha256"], sha256_hex(f.secret));
  EXPECT_FALSE(props.contains("secret"));
  EXPECT_EQ(results[3]["properties"]["dsn"]["host"], "o123.ingest.us.sentry.io");
  EXPECT_EQ(results[1]["properties"]["validation"]["detail"], "token revoked or expired");
}

TEST(SarifReport, UrisArePercentEncoded) {
  Finding relative = dsn_finding();
  relative.source.path = "./my dir/100%/caf\xc3\xa9#1?.js";
  Finding absolute = dsn_finding();
  absolute.source.path = "/srv/app/a b.js";
  const json log = json::parse(render(ReportFormat::sarif, report_of({relative, absolute})));
  const json& results = log["runs"][0]["results"];
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "my%20dir/100%25/caf%C3%A9%231%3F.js");
  const json& abs = results[1]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(abs["uri"], "file:///srv/app/a%20b.js");
  EXPECT_FALSE(abs.contains("uriBaseId"));
}

TEST(SarifReport, IncompleteScanIsNotASuccessfulExecution) {
  const json log = json::parse(render(ReportFormat::sarif, full_report()));
  const json& invocation = log["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 2u);
  EXPECT_EQ(invocation["toolExecutionNotifications"][1]["level"], "error");
  EXPECT_EQ(invocation["toolExecutionNotifications"][1]["message"]["text"], "secret/locked.env: permission denied");

  Report clean = full_report();
  clean.issues.resize(1);  // the warning only
  const json ok = json::parse(render(ReportFormat::sarif, clean));
  EXPECT_EQ(ok["runs"][0]["invocations"][0]["executionSuccessful"], true);
  EXPECT_EQ(ok["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["level"], "warning");
}

TEST(SarifReport, EmptyReportIsStillAValidLog) {
  const json log = json::parse(render(ReportFormat::sarif, Report{}));
  EXPECT_TRUE(sarif_problems(log).empty());
  EXPECT_EQ(log["runs"][0]["results"], json::array());
  EXPECT_EQ(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

TEST(SarifReport, HostilePathStaysValidJson) {
  Finding f = dsn_finding();
  f.source.path = std::string("a\xff\xfe\"\n.js");
  const std::string text = render(ReportFormat::sarif, report_of({f}));
  json log;
  ASSERT_NO_THROW(log = json::parse(text));
  EXPECT_EQ(log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "a%FF%FE%22%0A.js");
}

// GitHub merges results with equal partial fingerprints: the same secret in
// two files must be two alerts (SPEC 2, sentryscan/v2), the same secret at
// the same path one alert however its line moves.
TEST(SarifReport, PartialFingerprintsTellTheSameSecretInTwoFilesApart) {
  Finding first = org_token_finding();
  Finding second = first;
  second.source.path = "ci/other.yml";
  Finding moved = first;
  moved.location.line += 40;
  moved.source.path = "./ci/deploy.yml";
  const json log = json::parse(render(ReportFormat::sarif, report_of({first, second, moved})));
  const json& results = log["runs"][0]["results"];
  const std::string a = results[0]["partialFingerprints"]["sentryscan/v2"];
  const std::string b = results[1]["partialFingerprints"]["sentryscan/v2"];
  const std::string c = results[2]["partialFingerprints"]["sentryscan/v2"];
  EXPECT_NE(a, b);
  EXPECT_EQ(a, c) << "a line number or a ./ prefix must not make a new alert";
  EXPECT_FALSE(results[0]["partialFingerprints"].contains("sentryscan/v1"));
  EXPECT_EQ(a.find(first.secret), std::string::npos);
}

TEST(SarifReport, AuthorEmailOnlyWhenAskedFor) {
  const Report report = report_of({org_token_finding()});
  EXPECT_EQ(render(ReportFormat::sarif, report).find("jane@example.com"), std::string::npos);
  ReportOptions options;
  options.author_email = true;
  const json log = json::parse(render(ReportFormat::sarif, report, options));
  EXPECT_EQ(log["runs"][0]["results"][0]["properties"]["source"]["email"], "jane@example.com");
}

}  // namespace
}  // namespace sentryscan::testing
