// `sentryscan staged`: the index, not the working tree; added lines only.
#include <gtest/gtest.h>

#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

TEST(GitStagedCli, SecretOnlyInTheWorkingTreeIsNotReported) {
  GitRepo repo;
  repo.commit_file("app.env", "A=1\n", "init");
  repo.write("app.env", "A=1\n" + user_token_line("worktree-only"));
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.err << scan.process.out;
  EXPECT_TRUE(scan.findings.empty());
}

TEST(GitStagedCli, StagedThenRemovedFromTheWorkingTreeIsReportedAtTheStagedLine) {
  GitRepo repo;
  repo.commit_file("app.env", "A=1\n", "init");
  repo.write("app.env", "A=1\nB=2\n" + user_token_line("staged"));
  repo.git({"add", "app.env"});
  // The working tree changes afterwards: the secret is gone and lines move.
  repo.write("app.env", "# new header\n# more\nA=1\nB=2\n");
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, user_token("staged"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["kind"], "staged");
  EXPECT_EQ(found[0]["location"]["path"], "app.env");
  EXPECT_EQ(found[0]["location"]["line"], 3);
  EXPECT_EQ(found[0]["source"]["blob"], repo.blob_id("A=1\nB=2\n" + user_token_line("staged")));
  EXPECT_FALSE(found[0]["source"].contains("commit"));
}

TEST(GitStagedCli, SecretAlreadyCommittedIsNotReportedAgain) {
  GitRepo repo;
  repo.commit_file("app.env", user_token_line("committed") + "A=1\n", "init");
  repo.write("app.env", user_token_line("committed") + "A=2\n");
  repo.git({"add", "app.env"});
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.out;
  EXPECT_TRUE(scan.findings.empty());
}

// The index's cache-tree narrows the diff to the directories git marked as
// touched; after `reset --soft` they are all still marked valid, but with the
// undone commit's trees, so everything that commit added is staged again.
TEST(GitStagedCli, ACommitUndoneWithResetSoftIsStagedAgain) {
  GitRepo repo;
  repo.commit_file("deploy/prod/app.env", "A=1\n", "init");
  repo.commit_file("config/keep.txt", "unchanged\n", "more");
  repo.commit_file("deploy/prod/app.env", "A=1\n" + user_token_line("undone"), "leak");
  repo.git({"reset", "-q", "--soft", "HEAD~1"});
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, user_token("undone"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["location"]["path"], "deploy/prod/app.env");
  EXPECT_EQ(found[0]["location"]["line"], 2);
}

TEST(GitStagedCli, UnbornHeadBeforeTheFirstCommit) {
  GitRepo repo;
  repo.write("first.env", user_token_line("unborn"));
  repo.write("clean.txt", "hello\n");
  repo.git({"add", "."});
  const GitScan scan = git_scan({"staged"}, repo.path());
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(findings_of(scan.findings, user_token("unborn")).size(), 1u);
  // Nothing staged at all: clean.
  GitRepo empty;
  EXPECT_EQ(git_scan({"staged"}, empty.path()).process.exit_code, 0);
}

TEST(GitStagedCli, RunsFromASubdirectoryAndHonoursExclude) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  repo.write("fixtures/token.env", user_token_line("fixture"));
  repo.write("src/app.env", user_token_line("real"));
  repo.git({"add", "."});
  const GitScan scan = git_scan({"staged", "--exclude", "fixtures/**"}, repo.path() / "src");
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_TRUE(findings_of(scan.findings, user_token("fixture")).empty());
  EXPECT_EQ(findings_of(scan.findings, user_token("real")).size(), 1u);
}

TEST(GitStagedCli, BareRepositoryIsAUsageError) {
  GitRepo repo(true);
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 2);
  EXPECT_NE(scan.process.err.find("bare"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
