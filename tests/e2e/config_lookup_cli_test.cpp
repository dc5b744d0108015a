// `sentryscan scan PATH` finds the repository's .sentryscan.toml and
// .sentryscanignore from the scanned path up to the top of its git working
// tree (or the current directory outside one), never above, says which it
// used, and they stay repository files: they cannot weaken what only the
// user sets. SENTRYSCAN_CONFIG names the user's config, like --config.
#include <gtest/gtest.h>

#include "support/git_cli.h"
#include "support/scan_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

CliOptions in(const std::filesystem::path& cwd, std::map<std::string, std::string> env = {}) {
  CliOptions options;
  options.cwd = cwd;
  options.env = std::move(env);
  return options;
}

TEST(ConfigLookupCli, ScanOfASubdirectoryAtTheTopUsesTheTopsFiles) {
  GitRepo repo;
  repo.write(".sentryscan.toml", "fail_on = \"critical\"\n");  // a user token is high
  repo.write("src/app/settings.env", user_token_line("lookup-top"));
  const JsonScan scan = scan_json({"src"}, in(repo.path()));
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.err;
  EXPECT_EQ(scan.findings.size(), 1u) << scan.process.out;  // reported, below fail_on
  EXPECT_NE(scan.process.err.find("sentryscan: using .sentryscan.toml"), std::string::npos) << scan.process.err;

  // The same from inside src/: the walk goes up to the top of the working tree.
  const JsonScan inside = scan_json({"."}, in(repo.path() / "src"));
  EXPECT_EQ(inside.process.exit_code, 0) << inside.process.err;
  const std::string top_config = (std::filesystem::canonical(repo.path()) / ".sentryscan.toml").string();
  EXPECT_NE(inside.process.err.find("using " + top_config), std::string::npos) << inside.process.err;

  // --quiet: no note.
  const JsonScan quiet = scan_json({"--quiet", "src"}, in(repo.path()));
  EXPECT_EQ(quiet.process.exit_code, 0);
  EXPECT_EQ(quiet.process.err, "");
}

TEST(ConfigLookupCli, TheNearestDirectoryWithAFileWins) {
  GitRepo repo;
  repo.write(".sentryscan.toml", "fail_on = \"critical\"\n");
  repo.write("src/.sentryscanignore", "# src's own\n");
  repo.write("src/leak.env", user_token_line("nearest"));
  const JsonScan scan = scan_json({"src"}, in(repo.path()));
  // src/ holds an ignore file, so both files come from src/: no fail_on there.
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_NE(scan.process.err.find("using src/.sentryscanignore"), std::string::npos) << scan.process.err;
}

TEST(ConfigLookupCli, IgnoreFileAndExcludesAreRelativeToTheirDirectory) {
  GitRepo repo;
  repo.write(".sentryscan.toml", "exclude = [\"src/generated/**\", \"fixtures/**\"]\n");
  repo.write(".sentryscanignore", "path:src/vendored/**\n");
  repo.write("src/generated/a.env", user_token_line("generated"));
  repo.write("src/vendored/b.env", user_token_line("vendored"));
  // `fixtures/**` names the top's fixtures/, not src/fixtures/: still scanned.
  repo.write("src/fixtures/c.env", user_token_line("not-the-top-fixtures"));
  const JsonScan scan = scan_json({"src"}, in(repo.path()));
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  ASSERT_EQ(scan.findings.size(), 1u) << scan.process.out;
  EXPECT_EQ(scan.findings[0]["location"]["path"], "src/fixtures/c.env");
  EXPECT_NE(scan.process.err.find("using .sentryscan.toml and .sentryscanignore"), std::string::npos)
      << scan.process.err;
}

TEST(ConfigLookupCli, FilesAboveTheWorkingTreeAreNotUsed) {
  TempDir outer;
  outer.write(".sentryscan.toml", "fail_on = \"critical\"\n");
  outer.write(".sentryscanignore", "path:**\n");
  const auto top = outer.path() / "repo";
  std::filesystem::create_directories(top / "src");
  ASSERT_EQ(run_program({"git", "init", "-q", top.string()}).exit_code, 0);
  outer.write("repo/src/leak.env", user_token_line("above-worktree"));
  const JsonScan scan = scan_json({"src"}, in(top));
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(scan.findings.size(), 1u);
  EXPECT_EQ(scan.process.err.find("using"), std::string::npos) << scan.process.err;
  // Nor from a directory inside the repository (cwd below the top).
  const JsonScan below = scan_json({"."}, in(top / "src"));
  EXPECT_EQ(below.process.exit_code, 1) << below.process.err;
}

TEST(ConfigLookupCli, OutsideGitTheWalkStopsAtTheCurrentDirectory) {
  TempDir outer;
  outer.write(".sentryscan.toml", "fail_on = \"critical\"\n");  // above the current directory
  outer.write("work/deep/dir/leak.env", user_token_line("outside-git"));
  const JsonScan scan = scan_json({"deep/dir"}, in(outer.path() / "work"));
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;

  outer.write("work/.sentryscan.toml", "fail_on = \"critical\"\n");  // the current directory's
  const JsonScan used = scan_json({"deep/dir"}, in(outer.path() / "work"));
  EXPECT_EQ(used.process.exit_code, 0) << used.process.err;
  EXPECT_NE(used.process.err.find("using .sentryscan.toml"), std::string::npos) << used.process.err;
}

TEST(ConfigLookupCli, TheTopsConfigCannotWeakenWhatTheUserSets) {
  GitRepo repo;
  repo.write(".sentryscan.toml",
             "fail_on = \"critical\"\n[validate]\nsentry_urls = [\"https://collector.attacker.example\"]\n");
  repo.write("src/leak.env", user_token_line("weaken"));
  // The user's flag wins over the repository's fail_on.
  const JsonScan flag = scan_json({"--fail-on", "high", "src"}, in(repo.path()));
  EXPECT_EQ(flag.process.exit_code, 1) << flag.process.err;
  // Where tokens are sent comes only from the user: dropped, and said.
  EXPECT_NE(flag.process.err.find("ignoring validate.sentry_urls"), std::string::npos) << flag.process.err;

  // The user's config (SENTRYSCAN_CONFIG or --config) replaces the repository's.
  TempDir home;
  const auto user = home.write("sentryscan.toml", "fail_on = \"medium\"\n");
  const JsonScan env = scan_json({"src"}, in(repo.path(), {{"SENTRYSCAN_CONFIG", user.string()}}));
  EXPECT_EQ(env.process.exit_code, 1) << env.process.err;
  EXPECT_NE(env.process.err.find("not using .sentryscan.toml: the user's config"), std::string::npos)
      << env.process.err;
}

TEST(UserConfigEnvCli, SentryscanConfigNamesTheUsersConfigFile) {
  TempDir dir;
  dir.write("leak.env", user_token_line("env-config"));
  const auto lenient = dir.write("cfg/lenient.toml", "fail_on = \"critical\"\n");
  const JsonScan scan = scan_json({"leak.env"}, in(dir.path(), {{"SENTRYSCAN_CONFIG", lenient.string()}}));
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.err;
  EXPECT_EQ(scan.findings.size(), 1u);

  // --config wins over the environment.
  const auto strict = dir.write("cfg/strict.toml", "fail_on = \"high\"\n");
  const JsonScan flag =
      scan_json({"--config", strict.string(), "leak.env"}, in(dir.path(), {{"SENTRYSCAN_CONFIG", lenient.string()}}));
  EXPECT_EQ(flag.process.exit_code, 1) << flag.process.err;

  // Its keys are the user's: a bad one is an error naming the file and line.
  const auto bad = dir.write("cfg/bad.toml", "fail_on = \"critical\"\nno_such_key = 1\n");
  const JsonScan invalid = scan_json({"leak.env"}, in(dir.path(), {{"SENTRYSCAN_CONFIG", bad.string()}}));
  EXPECT_EQ(invalid.process.exit_code, 2) << invalid.process.err;
  EXPECT_NE(invalid.process.err.find("no_such_key"), std::string::npos) << invalid.process.err;
}

TEST(UserConfigEnvCli, AMissingFileIsAUsageError) {
  TempDir dir;
  dir.write("leak.env", user_token_line("env-missing"));
  const auto missing = (dir.path() / "nope.toml").string();
  for (const std::string command : {"scan", "validate"}) {
    CliOptions options = in(dir.path(), {{"SENTRYSCAN_CONFIG", missing}});
    options.stdin_text = "x\n";
    const CliResult result = command == "scan" ? run_sentryscan({command, "leak.env"}, options)
                                               : run_sentryscan({command}, options);
    EXPECT_EQ(result.exit_code, 2) << command << ": " << result.err;
    EXPECT_NE(result.err.find("nope.toml"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("SENTRYSCAN_CONFIG"), std::string::npos) << result.err;
  }
}

}  // namespace
}  // namespace sentryscan::testing
