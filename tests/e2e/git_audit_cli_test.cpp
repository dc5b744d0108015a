// `sentryscan git` (history audit) on real repositories, through the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/git_cli.h"
#include "support/fake_tokens.h"

namespace sentryscan::testing {
namespace {

TEST(GitAuditCli, SecretAddedThenDeletedIsFoundWithTheAddingCommit) {
  GitRepo repo;
  repo.commit_file("README.md", "hello\n", "init");
  const std::string added = repo.commit_file("config/prod.env", "A=1\n" + user_token_line("deleted"), "add prod env");
  repo.remove("config/prod.env");
  repo.commit("remove prod env");
  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, user_token("deleted"));
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  const auto& f = found[0];
  EXPECT_EQ(f["location"]["path"], "config/prod.env");
  EXPECT_EQ(f["location"]["line"], 2);
  EXPECT_EQ(f["source"]["kind"], "git");
  EXPECT_EQ(f["source"]["commit"], added);
  EXPECT_EQ(f["source"]["author"], "Test Author");
  EXPECT_EQ(f["source"]["email"], "author@example.com");
  EXPECT_EQ(f["source"]["message"], "add prod env");
  EXPECT_EQ(f["source"]["date"].get<std::string>().substr(0, 10), "2024-05-01");
  EXPECT_EQ(f["source"]["blob"], repo.blob_id("A=1\n" + user_token_line("deleted")));
  EXPECT_FALSE(f["source"].contains("other_locations"));
}

TEST(GitAuditCli, BranchTagAndStashOnlySecrets) {
  GitRepo repo;
  repo.commit_file("a.txt", "base\n", "init");
  repo.git({"checkout", "-q", "-b", "feature"});
  const std::string on_branch = repo.commit_file("branch.env", user_token_line("branch"), "feature secret");
  repo.git({"checkout", "-q", "main"});
  repo.git({"checkout", "-q", "-b", "release-tmp"});
  const std::string tagged = repo.commit_file("tag.env", user_token_line("tag"), "tagged secret");
  repo.git({"tag", "-a", "-m", "v1", "v1"});
  repo.git({"checkout", "-q", "main"});
  repo.git({"branch", "-q", "-D", "release-tmp"});
  repo.write("a.txt", user_token_line("stash"));
  repo.git({"stash", "-q"});

  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1);
  const auto branch = findings_of(scan.findings, user_token("branch"));
  ASSERT_EQ(branch.size(), 1u);
  EXPECT_EQ(branch[0]["source"]["commit"], on_branch);
  const auto tag = findings_of(scan.findings, user_token("tag"));
  ASSERT_EQ(tag.size(), 1u);
  EXPECT_EQ(tag[0]["source"]["commit"], tagged);
  const auto stash = findings_of(scan.findings, user_token("stash"));
  ASSERT_EQ(stash.size(), 1u);
  EXPECT_EQ(stash[0]["location"]["path"], "a.txt");
  EXPECT_EQ(stash[0]["source"]["commit"], repo.rev("refs/stash"));
}

TEST(GitAuditCli, DanglingCommitOnlyWithAllObjects) {
  GitRepo repo;
  repo.commit_file("a.txt", "base\n", "init");
  const std::string dangling = repo.commit_file("oops.env", user_token_line("dangling"), "oops");
  repo.git({"reset", "-q", "--hard", "HEAD~1"});
  const GitScan without = git_scan({"git", repo.path().string()});
  EXPECT_EQ(without.process.exit_code, 0) << without.process.err;
  EXPECT_TRUE(findings_of(without.findings, user_token("dangling")).empty());

  const GitScan with = git_scan({"git", "--all-objects", repo.path().string()});
  EXPECT_EQ(with.process.exit_code, 1);
  const auto found = findings_of(with.findings, user_token("dangling"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["commit"], dangling);
  EXPECT_EQ(found[0]["location"]["path"], "oops.env");
}

TEST(GitAuditCli, RenamedFileNamesTheAddingCommitAndPath) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  const std::string added = repo.commit_file("old/keys.env", user_token_line("renamed"), "add keys");
  repo.git({"mv", "old/keys.env", "keys.env"});
  repo.commit("move keys");
  const GitScan scan = git_scan({"git", repo.path().string()});
  const auto found = findings_of(scan.findings, user_token("renamed"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["commit"], added);
  EXPECT_EQ(found[0]["location"]["path"], "old/keys.env");
  EXPECT_EQ(found[0]["source"]["other_locations"], 1);
}

TEST(GitAuditCli, MergedBranchReportsTheBranchCommitOnce) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  repo.git({"checkout", "-q", "-b", "feature"});
  const std::string added = repo.commit_file("f.env", user_token_line("merge"), "feature");
  repo.git({"checkout", "-q", "main"});
  repo.commit_file("main.txt", "m\n", "main");
  repo.git({"merge", "-q", "--no-ff", "-m", "merge feature", "feature"});
  repo.git({"branch", "-q", "-D", "feature"});
  const GitScan scan = git_scan({"git", repo.path().string()});
  const auto found = findings_of(scan.findings, user_token("merge"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["commit"], added);
  EXPECT_FALSE(found[0]["source"].contains("other_locations"));
}

TEST(GitAuditCli, SameBlobOnTwoBranchesIsScannedOnceAndCountsBothPlaces) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  repo.git({"checkout", "-q", "-b", "one"});
  const std::string first = repo.commit_file("one/app.env", user_token_line("twice"), "one");
  repo.git({"checkout", "-q", "main"});
  repo.git({"checkout", "-q", "-b", "two"});
  repo.commit_file("two/app.env", user_token_line("twice"), "two");
  const GitScan scan = git_scan({"git", repo.path().string()});
  const auto found = findings_of(scan.findings, user_token("twice"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["commit"], first);
  EXPECT_EQ(found[0]["location"]["path"], "one/app.env");
  EXPECT_EQ(found[0]["source"]["other_locations"], 1);
  // Two distinct blobs in the whole history: README and the secret file.
  const CliResult text = run_sentryscan({"git", "--no-color", repo.path().string()});
  EXPECT_NE(text.out.find("scanned 2 blobs"), std::string::npos) << text.out;
}

TEST(GitAuditCli, BinaryBlobIsScannedAndMarked) {
  GitRepo repo;
  std::string binary("\x7f" "ELF\0\0\1\2", 8);
  binary += "key=" + user_token("binary") + std::string("\0\0\0", 3);
  repo.commit_file("app.so", binary, "binary");
  const GitScan scan = git_scan({"git", repo.path().string()});
  const auto found = findings_of(scan.findings, user_token("binary"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["binary"], true);
}

TEST(GitAuditCli, EmptyRepositorySaysSoAndPasses) {
  GitRepo repo;
  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.err;
  EXPECT_TRUE(scan.findings.empty());
  EXPECT_NE(scan.process.err.find("no commits"), std::string::npos) << scan.process.err;
}

TEST(GitAuditCli, BareCloneAndWorktree) {
  GitRepo repo;
  repo.commit_file("a.env", user_token_line("bare"), "init");
  TempDir dir;
  repo.git({"clone", "-q", "--bare", repo.path().string(), (dir.path() / "bare.git").string()});
  const GitScan bare = git_scan({"git", (dir.path() / "bare.git").string()});
  EXPECT_EQ(bare.process.exit_code, 1) << bare.process.err;
  EXPECT_EQ(findings_of(bare.findings, user_token("bare")).size(), 1u);

  repo.git({"worktree", "add", "-q", "-b", "wt", (dir.path() / "wt").string()});
  const GitScan from_worktree = git_scan({"git"}, dir.path() / "wt");
  EXPECT_EQ(findings_of(from_worktree.findings, user_token("bare")).size(), 1u) << from_worktree.process.err;
}

TEST(GitAuditCli, OversizeBlobIsSkippedAndReported) {
  GitRepo repo;
  repo.commit_file("big.env", user_token_line("big") + std::string(5000, '#'), "big");
  const std::string blob = repo.blob_id(user_token_line("big") + std::string(5000, '#'));
  const GitScan scan = git_scan({"git", "--max-file-size", "1000", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 3);
  EXPECT_TRUE(scan.findings.empty());
  EXPECT_NE(scan.process.err.find(blob), std::string::npos) << scan.process.err;
}

TEST(GitAuditCli, ExcludedPathsAreNotScanned) {
  GitRepo repo;
  repo.write("vendor/lib.env", user_token_line("vendored"));
  repo.write("src/app.env", user_token_line("own"));
  repo.commit("init");
  const GitScan scan = git_scan({"git", repo.path().string(), "--exclude", "vendor"});
  EXPECT_TRUE(findings_of(scan.findings, user_token("vendored")).empty());
  EXPECT_EQ(findings_of(scan.findings, user_token("own")).size(), 1u);
}

TEST(GitAuditCli, SubmodulesOnlyWithRecurse) {
  GitRepo sub;
  sub.commit_file("sub.env", user_token_line("submodule"), "sub secret");
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  repo.git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", sub.path().string(), "libs/sub"});
  repo.commit("add submodule");
  const GitScan plain = git_scan({"git", repo.path().string()});
  EXPECT_EQ(plain.process.exit_code, 0) << plain.process.err;
  EXPECT_TRUE(findings_of(plain.findings, user_token("submodule")).empty());
  const GitScan recursed = git_scan({"git", "--recurse-submodules", repo.path().string()});
  EXPECT_EQ(recursed.process.exit_code, 1) << recursed.process.err;
  const auto found = findings_of(recursed.findings, user_token("submodule"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["location"]["path"], "libs/sub/sub.env");
}

TEST(GitAuditCli, DetachedHeadAndUnbornBranch) {
  GitRepo repo;
  repo.commit_file("a.txt", "a\n", "init");
  repo.git({"checkout", "-q", "--detach"});
  const std::string detached = repo.commit_file("d.env", user_token_line("detached"), "only on detached HEAD");
  const GitScan scan = git_scan({"git", repo.path().string()});
  const auto found = findings_of(scan.findings, user_token("detached"));
  ASSERT_EQ(found.size(), 1u) << scan.process.err;
  EXPECT_EQ(found[0]["source"]["commit"], detached);

  // An orphan branch with no commit yet: HEAD is unborn, the other refs are still audited.
  repo.git({"branch", "-q", "keep", detached});
  repo.git({"checkout", "-q", "--orphan", "fresh"});
  const GitScan unborn = git_scan({"git", repo.path().string()});
  EXPECT_EQ(unborn.process.exit_code, 1) << unborn.process.err;
  EXPECT_EQ(findings_of(unborn.findings, user_token("detached")).size(), 1u);
}

TEST(GitAuditCli, NotARepositoryIsAUsageError) {
  TempDir dir;
  const GitScan scan = git_scan({"git", dir.path().string()});
  EXPECT_EQ(scan.process.exit_code, 2);
  EXPECT_NE(scan.process.err.find("not a git repository"), std::string::npos) << scan.process.err;
}

}  // namespace
}  // namespace sentryscan::testing
