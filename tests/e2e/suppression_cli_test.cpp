// Every suppression mechanism and the config file, through the real binary.
#include <gtest/gtest.h>

#include "support/scan_cli.h"
#include "core/secret_hash.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

TEST(SuppressionCli, InlineAllowSuppressesOnlyItsLineAndIsCounted) {
  TempDir dir;
  const auto allowed = fake_user_token("allowed"), reported = fake_user_token("reported");
  dir.write("fixtures.py", "A = '" + allowed + "'  # sentryscan:allow\nB = '" + reported + "'\n");
  const auto scan = scan_json({"--show-secrets", dir.path().string()});
  ASSERT_EQ(scan.findings.size(), 1u);
  EXPECT_EQ(scan.findings[0]["secret"], reported);
  const auto text = run_sentryscan({"scan", dir.path().string()});
  EXPECT_NE(text.out.find("1 suppressed"), std::string::npos) << text.out;
}

TEST(SuppressionCli, IgnoreFileFingerprintsSurviveEditsAndMoves) {
  TempDir dir;
  const auto token = fake_user_token("ignored");
  dir.write("a.env", "SENTRY_AUTH_TOKEN=" + token + "\n");
  dir.write(".sentryscanignore", "# reviewed: test fixture\n" + fingerprint("sentry-user-token", token) + "\n");
  EXPECT_EQ(run_sentryscan({"scan", dir.path().string()}).exit_code, 0);
  // Moved to another file and line: still suppressed, because the key is the content.
  dir.write("a.env", "");
  dir.write("moved/b.env", "\n\n\nX=1 " + token + "\n");
  const auto result = run_sentryscan({"scan", dir.path().string()});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_NE(result.out.find("1 suppressed"), std::string::npos) << result.out;
}

TEST(SuppressionCli, IgnoreFilePathGlobsExcludePaths) {
  TempDir dir;
  dir.write("tests/fixtures/leak.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("fixture") + "\n");
  dir.write("src/leak.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("real") + "\n");
  dir.write(".sentryscanignore", "path:tests/fixtures/**\n");
  const auto scan = scan_json({"--show-secrets", dir.path().string()});
  ASSERT_EQ(scan.findings.size(), 1u);
  EXPECT_EQ(scan.findings[0]["secret"], fake_user_token("real"));
}

TEST(SuppressionCli, MalformedIgnoreFileExitsTwoNamingTheLine) {
  TempDir dir;
  dir.write(".sentryscanignore", "# ok\nsentryscan:v1:0123\n");
  const auto result = run_sentryscan({"scan", dir.path().string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(".sentryscanignore:2"), std::string::npos) << result.err;
}

TEST(SuppressionCli, BaselineReportsOnlyNewFindingsWhateverTheLineNumbers) {
  TempDir dir;
  const auto old_token = fake_user_token("old");
  dir.write("app/config.env", "SENTRY_AUTH_TOKEN=" + old_token + "\n");
  const auto baseline = dir.path() / "baseline.json";
  const auto first = run_sentryscan({"scan", "--write-baseline", baseline.string(), (dir.path() / "app").string()});
  EXPECT_EQ(first.exit_code, 1);
  EXPECT_EQ(read_file(baseline).find(old_token), std::string::npos) << "baseline must not store secrets";

  const auto new_token = fake_prefixed_token("sntryi_", "new");
  dir.write("app/config.env", "# shifted\n\nSENTRY_AUTH_TOKEN=" + old_token + "\nOTHER=" + new_token + "\n");
  const auto second = scan_json({"--show-secrets", "--baseline", baseline.string(), (dir.path() / "app").string()});
  EXPECT_EQ(second.process.exit_code, 1);
  ASSERT_EQ(second.findings.size(), 1u);
  EXPECT_EQ(second.findings[0]["secret"], new_token);

  dir.write("app/config.env", "\n\n\n\nSENTRY_AUTH_TOKEN=" + old_token + "\n");
  EXPECT_EQ(run_sentryscan({"scan", "--baseline", baseline.string(), (dir.path() / "app").string()}).exit_code, 0);
}

TEST(SuppressionCli, MalformedBaselineExitsTwo) {
  TempDir dir;
  const auto baseline = dir.write("baseline.json", "[\n  {\"fingerprint\": \n");
  const auto result = run_sentryscan({"scan", "--baseline", baseline.string(), dir.path().string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("baseline.json"), std::string::npos) << result.err;
}

TEST(ConfigCli, ConfigFileSetsFailOnExcludeAndSize) {
  TempDir dir;
  dir.write("vendor/lib.js", "dsn='" + fake_dsn("vendored") + "'\n");
  dir.write("src/app.js", "dsn='" + fake_dsn("app") + "'\n");
  dir.write(".sentryscan.toml", "fail_on = \"low\"\nexclude = [\"vendor/**\"]\nmax_file_size = \"1MiB\"\n");
  const auto scan = scan_json({"--show-secrets", dir.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << "fail_on = low from the config";
  ASSERT_EQ(scan.findings.size(), 1u);
  EXPECT_EQ(scan.findings[0]["secret"], fake_dsn("app"));
  // The command line wins over the config.
  EXPECT_EQ(run_sentryscan({"scan", "--fail-on", "high", dir.path().string()}).exit_code, 0);
}

TEST(ConfigCli, UnknownKeyExitsTwoNamingKeyFileAndLine) {
  TempDir dir;
  dir.write(".sentryscan.toml", "fail_on = \"high\"\n\n[validate]\ntimeout_seconds = 5\nretries = 3\n");
  const auto result = run_sentryscan({"scan", dir.path().string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(".sentryscan.toml:5"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("retries"), std::string::npos) << result.err;
}

TEST(ConfigCli, ExplicitConfigThatDoesNotExistExitsTwo) {
  TempDir dir;
  const auto result = run_sentryscan({"scan", "--config", (dir.path() / "nope.toml").string(), dir.path().string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("nope.toml"), std::string::npos);
}

TEST(RulesCli, ListsEveryRuleWithSeverity) {
  const auto result = run_sentryscan({"rules"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* id : {"sentry-org-token", "sentry-user-token", "sentry-user-app-secret", "sentry-integration-token",
                         "sentry-legacy-token", "sentry-legacy-api-key", "sentry-dsn-secret", "sentry-dsn"})
    EXPECT_NE(result.out.find(id), std::string::npos) << id;
  EXPECT_NE(result.out.find("critical"), std::string::npos);
}

TEST(RulesCli, ExtraRulesAreUsedByScan) {
  TempDir dir;
  const auto rules = dir.write("rules/extra.toml", R"([[rule]]
id = "internal-relay-key"
description = "Key of our Sentry relay"
severity = "high"
[[rule.pattern]]
prefilter = 'relaykey_[a-z0-9]{12}'
confirm = '(?P<secret>relaykey_[a-z0-9]{12})'
)");
  dir.write("src/relay.conf", "key = relaykey_abc123def456\n");
  const auto scan = scan_json({"--rules", rules.string(), (dir.path() / "src").string()});
  ASSERT_EQ(scan.findings.size(), 1u) << scan.process.err;
  EXPECT_EQ(scan.findings[0]["rule_id"], "internal-relay-key");
}

TEST(HelpCli, EverySubcommandHasHelp) {
  for (const char* command : {"scan", "git", "staged", "validate", "rules", "install-hook"}) {
    const auto result = run_sentryscan({command, "--help"});
    EXPECT_EQ(result.exit_code, 0) << command;
    EXPECT_NE(result.out.find(std::string("sentryscan ") + command + " [OPTIONS]"), std::string::npos)
        << command << ": " << result.out.substr(0, 200);
  }
}

}  // namespace
}  // namespace sentryscan::testing
