// Each output format, parsed back; redaction on and off.
#include <gtest/gtest.h>

#include <sstream>

#include "support/scan_cli.h"
#include "core/secret_hash.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

class ScanFormats : public ::testing::Test {
 protected:
  void SetUp() override {
    org_ = fake_org_token("formats", OrgTokenSpec{"acme", "https://sentry.io", "https://de.sentry.io", 1714521600.0});
    dir_.write("deploy/ci.yml", "env:\n  SENTRY_AUTH_TOKEN: " + org_ + "\n");
  }
  std::vector<std::string> args(const std::string& format) { return {"scan", "--format", format, dir_.path().string()}; }

  TempDir dir_;
  std::string org_;
};

TEST_F(ScanFormats, JsonHasTheSpecSchemaAndRedacts) {
  const auto scan = scan_json({dir_.path().string()});
  ASSERT_EQ(scan.process.exit_code, 1) << scan.process.err;
  ASSERT_EQ(scan.findings.size(), 1u) << scan.process.out;
  const auto& f = scan.findings[0];
  EXPECT_EQ(f["rule_id"], "sentry-org-token");
  EXPECT_EQ(f["severity"], "critical");
  EXPECT_EQ(f["secret_sha256"], sha256_hex(org_));
  EXPECT_EQ(f["fingerprint"], fingerprint("sentry-org-token", org_));
  EXPECT_EQ(f["location"]["line"], 2);
  EXPECT_EQ(f["location"]["column"], 22);
  EXPECT_EQ(f["location"]["end_column"], 21 + org_.size());
  EXPECT_NE(f["location"]["path"].get<std::string>().find("deploy/ci.yml"), std::string::npos);
  EXPECT_EQ(f["source"]["kind"], "file");
  EXPECT_EQ(f["token"]["org"], "acme");
  EXPECT_EQ(f["token"]["region_url"], "https://de.sentry.io");
  EXPECT_EQ(f["token"]["issued_at"], "2024-05-01T00:00:00Z");
  EXPECT_EQ(f["validation"]["status"], "not_checked");
  EXPECT_EQ(f["secret"], redact(org_));
  EXPECT_EQ(scan.process.out.find(org_), std::string::npos) << "secret leaked into the report";
}

TEST_F(ScanFormats, ShowSecretsPrintsTheWholeSecret) {
  const auto scan = scan_json({"--show-secrets", dir_.path().string()});
  ASSERT_EQ(scan.findings.size(), 1u);
  EXPECT_EQ(scan.findings[0]["secret"], org_);
}

TEST_F(ScanFormats, NoFormatLeaksTheSecretByDefault) {
  for (const char* format : {"text", "json", "jsonl", "sarif", "github"}) {
    const auto result = run_sentryscan(args(format));
    EXPECT_EQ(result.exit_code, 1) << format;
    EXPECT_EQ(result.out.find(org_), std::string::npos) << format;
    EXPECT_EQ(result.err.find(org_), std::string::npos) << format;
    EXPECT_NE(result.out.find(redact(org_)), std::string::npos) << format << "\n" << result.out;
  }
}

TEST_F(ScanFormats, JsonlIsOneObjectPerLine) {
  dir_.write("other.env", "SENTRY_DSN=" + fake_dsn("jsonl") + "\n");
  const auto result = run_sentryscan(args("jsonl"));
  std::istringstream lines(result.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    const auto object = nlohmann::json::parse(line);
    EXPECT_TRUE(object.contains("rule_id"));
    ++count;
  }
  EXPECT_EQ(count, 2);
}

TEST_F(ScanFormats, SarifHasRulesResultsAndFingerprints) {
  const auto result = run_sentryscan(args("sarif"));
  const auto sarif = nlohmann::json::parse(result.out);
  EXPECT_EQ(sarif["version"], "2.1.0");
  const auto& run = sarif["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "sentryscan");
  ASSERT_EQ(run["results"].size(), 1u);
  const auto& r = run["results"][0];
  EXPECT_EQ(r["ruleId"], "sentry-org-token");
  EXPECT_EQ(r["level"], "error");
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
  EXPECT_FALSE(r["partialFingerprints"].empty());
  bool rule_listed = false;
  for (const auto& rule : run["tool"]["driver"]["rules"]) rule_listed |= rule["id"] == "sentry-org-token";
  EXPECT_TRUE(rule_listed);
}

TEST_F(ScanFormats, GithubAnnotationsNameFileAndLine) {
  const auto result = run_sentryscan(args("github"));
  EXPECT_NE(result.out.find("::error file="), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("line=2"), std::string::npos) << result.out;
}

TEST_F(ScanFormats, TextReportNamesLocationRuleAndSummary) {
  const auto result = run_sentryscan(args("text"));
  EXPECT_NE(result.out.find("sentry-org-token"), std::string::npos);
  EXPECT_NE(result.out.find("ci.yml:2:22"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("acme"), std::string::npos);
  EXPECT_EQ(result.out.find("\x1b["), std::string::npos) << "colour codes when not on a TTY";
}

TEST_F(ScanFormats, OutputFileReceivesTheReport) {
  const auto path = dir_.path() / "report.json";
  const auto result = run_sentryscan({"scan", "--format", "json", "--output", path.string(),
                                      (dir_.path() / "deploy").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(result.out.empty());
  EXPECT_EQ(nlohmann::json::parse(read_file(path)).size(), 1u);
}

}  // namespace
}  // namespace sentryscan::testing
