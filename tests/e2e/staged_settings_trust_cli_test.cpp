// `staged` reads .sentryscan.toml and .sentryscanignore from the index (what
// the commit records): an untracked or unstaged ignore file cannot silence
// the hook, and a note says it was not applied.
#include <gtest/gtest.h>

#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

TEST(StagedSettingsTrustCli, UntrackedIgnoreFileDoesNotSilenceTheHook) {
  GitRepo repo;
  repo.commit_file("README", "hello\n", "init");
  repo.write("leak.env", user_token_line("staged-secret"));
  repo.git({"add", "leak.env"});
  repo.write(".sentryscanignore", "path:**\n");  // untracked
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.out << scan.process.err;
  EXPECT_EQ(findings_of(scan.findings, user_token("staged-secret")).size(), 1u) << scan.process.out;
  EXPECT_NE(scan.process.err.find("the working tree (not staged) adds .sentryscanignore"), std::string::npos)
      << scan.process.err;
}

TEST(StagedSettingsTrustCli, UnstagedChangeToTheConfigDoesNotApply) {
  GitRepo repo;
  repo.commit_file(".sentryscan.toml", "fail_on = \"medium\"\n", "init");
  repo.write("leak.env", user_token_line("staged-secret"));
  repo.git({"add", "leak.env"});
  repo.write(".sentryscan.toml", "fail_on = \"critical\"\n");  // not staged
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_NE(scan.process.err.find("fail_on medium -> critical"), std::string::npos) << scan.process.err;
}

TEST(StagedSettingsTrustCli, StagedIgnoreFileApplies) {
  // A staged ignore entry is part of the commit, visible to reviewers, and
  // the PR gate judges it from BASE anyway: the hook agrees with the commit.
  GitRepo repo;
  repo.commit_file("README", "hello\n", "init");
  repo.write("fixtures/sample.env", user_token_line("fixture"));
  repo.write(".sentryscanignore", "path:fixtures/**\n");
  repo.git({"add", "-A"});
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.out << scan.process.err;
}

}  // namespace
}  // namespace sentryscan::testing
