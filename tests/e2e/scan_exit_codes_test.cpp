// The CI-gate contract (SPEC 2, Exit status), checked on the real binary.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "support/scan_cli.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

TEST(ScanExitCodes, CleanTreeExitsZero) {
  TempDir dir;
  dir.write("README.md", "nothing to see\n");
  dir.write("src/app.py", "import os\nprint(os.environ['SENTRY_AUTH_TOKEN'])\n");
  const auto result = run_sentryscan({"scan", dir.path().string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(ScanExitCodes, FindingAtOrAboveFailOnExitsOne) {
  TempDir dir;
  dir.write("ci.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("exit-one") + "\n");
  EXPECT_EQ(run_sentryscan({"scan", dir.path().string()}).exit_code, 1);
  EXPECT_EQ(run_sentryscan({"scan", "--fail-on", "high", dir.path().string()}).exit_code, 1);
  EXPECT_EQ(run_sentryscan({"scan", "--fail-on", "critical", dir.path().string()}).exit_code, 0);
}

TEST(ScanExitCodes, LowSeverityDoesNotFailTheDefaultGate) {
  TempDir dir;
  dir.write("app.js", "Sentry.init({dsn: '" + fake_dsn("low") + "'});\n");
  const auto scan = scan_json({dir.path().string()});
  EXPECT_EQ(scan.process.exit_code, 0);
  EXPECT_EQ(of_rule(scan.findings, "sentry-dsn").size(), 1u);
  EXPECT_EQ(run_sentryscan({"scan", "--fail-on", "low", dir.path().string()}).exit_code, 1);
}

TEST(ScanExitCodes, UsageErrorsExitTwo) {
  TempDir dir;
  EXPECT_EQ(run_sentryscan({"scan", "--fail-on", "severe", dir.path().string()}).exit_code, 2);
  EXPECT_EQ(run_sentryscan({"scan", "--format", "xml", dir.path().string()}).exit_code, 2);
  EXPECT_EQ(run_sentryscan({"scan", "--no-such-flag"}).exit_code, 2);
  EXPECT_EQ(run_sentryscan({"scan", "--max-file-size", "lots", dir.path().string()}).exit_code, 2);
  EXPECT_EQ(run_sentryscan({}).exit_code, 2);
}

TEST(ScanExitCodes, MalformedRulesFileExitsTwoNamingFileAndLine) {
  TempDir dir;
  const auto rules = dir.write("extra.toml", "[[rule]]\nid = \"x\"\ndescription = \"d\"\nseverity = \"huge\"\n");
  const auto result = run_sentryscan({"scan", "--rules", rules.string(), dir.path().string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("extra.toml:4"), std::string::npos) << result.err;
}

TEST(ScanExitCodes, OversizedFileIsReportedAndMakesTheScanIncomplete) {
  TempDir dir;
  dir.write("big.bin", std::string(4096, 'a'));
  dir.write("small.txt", "hello\n");
  const auto result = run_sentryscan({"scan", "--max-file-size", "1k", dir.path().string()});
  EXPECT_EQ(result.exit_code, 3);
  // Reported once, on stderr (a text report on standard output does not repeat it).
  EXPECT_NE(result.err.find("big.bin"), std::string::npos) << result.out << result.err;
}

TEST(ScanExitCodes, FailingFindingsWinOverIncomplete) {
  TempDir dir;
  dir.write("big.bin", std::string(4096, 'a'));
  dir.write("leak.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("wins") + "\n");
  EXPECT_EQ(run_sentryscan({"scan", "--max-file-size", "1k", dir.path().string()}).exit_code, 1);
}

TEST(ScanExitCodes, UnreadableFileIsNamedAndTheScanGoesOn) {
  TempDir dir;
  chmod(dir.path().c_str(), 0755);
  const auto locked = dir.write("locked.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("locked") + "\n");
  chmod(locked.c_str(), 0);
  dir.write("open.js", "dsn='" + fake_dsn("open") + "'\n");
  CliOptions options;
  options.as_unprivileged_user = true;
  const auto scan = scan_json({dir.path().string()}, options);
  EXPECT_EQ(scan.process.exit_code, 3) << scan.process.err;
  EXPECT_NE(scan.process.err.find("locked.env"), std::string::npos) << scan.process.err;
  EXPECT_EQ(of_rule(scan.findings, "sentry-dsn").size(), 1u) << scan.process.out;
}

TEST(ScanExitCodes, MissingPathIsIncompleteNotClean) {
  TempDir dir;
  const auto result = run_sentryscan({"scan", (dir.path() / "does-not-exist").string()});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("does-not-exist"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
