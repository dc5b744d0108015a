// `sentryscan git --range/--since`: the PR gate reports only what the range adds.
#include <gtest/gtest.h>

#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

TEST(GitRangeCli, PreExistingSecretIsNotReportedNewOneIsWithItsCommit) {
  GitRepo repo;
  const std::string base = repo.commit_file("app.env", "A=1\n" + user_token_line("old"), "base with old secret");
  // The range edits the same file around the old secret, then adds a new one.
  repo.commit_file("app.env", "A=2\n" + user_token_line("old") + "B=3\n", "edit around it");
  const std::string adding = repo.commit_file("app.env", "A=2\n" + user_token_line("old") + "B=3\n" +
                                                              user_token_line("new"), "add new secret");
  repo.commit_file("other.txt", "x\n", "unrelated");

  const GitScan scan = git_scan({"git", "--range", base + "..HEAD", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_TRUE(findings_of(scan.findings, user_token("old")).empty()) << scan.process.out;
  const auto found = findings_of(scan.findings, user_token("new"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["commit"], adding);
  EXPECT_EQ(found[0]["source"]["message"], "add new secret");
  EXPECT_EQ(found[0]["location"]["line"], 4);

  // Only the old secret in range: the gate passes.
  const GitScan before = git_scan({"git", "--since", base, repo.path().string()}, {});
  EXPECT_EQ(findings_of(before.findings, user_token("new")).size(), 1u);
  const GitScan clean = git_scan({"git", "--range", base + "..HEAD~2", repo.path().string()});
  EXPECT_EQ(clean.process.exit_code, 0) << clean.process.out;
}

TEST(GitRangeCli, SecretReAddedInTheRangeIsReported) {
  GitRepo repo;
  repo.commit_file("a.env", user_token_line("again"), "added long ago");
  repo.remove("a.env");
  const std::string base = repo.commit("removed");
  const std::string readded = repo.commit_file("b.env", user_token_line("again"), "re-added");
  const GitScan scan = git_scan({"git", "--range", base + ".." + readded, repo.path().string()});
  const auto found = findings_of(scan.findings, user_token("again"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["commit"], readded);
}

TEST(GitRangeCli, SameSecretInSeveralCommitsIsReportedOnceWithTheEarliest) {
  GitRepo repo;
  const std::string base = repo.commit_file("README", "x\n", "init");
  const std::string first = repo.commit_file("a.env", user_token_line("moved"), "add");
  repo.commit_file("a.env", "# header\n" + user_token_line("moved"), "edit: the line moves");
  const GitScan scan = git_scan({"git", "--range", base + "..HEAD", repo.path().string()});
  const auto found = findings_of(scan.findings, user_token("moved"));
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["source"]["commit"], first);
}

TEST(GitRangeCli, RenameOfAnOldSecretAndMergesAddNothing) {
  GitRepo repo;
  repo.commit_file("old.env", user_token_line("renamed"), "base secret");
  const std::string base = repo.rev("HEAD");
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.git({"mv", "old.env", "new.env"});
  repo.commit("rename");
  const std::string on_feature = repo.commit_file("f.env", user_token_line("feature"), "feature secret");
  repo.git({"checkout", "-q", "main"});
  repo.commit_file("m.txt", "main\n", "main work");
  repo.git({"merge", "-q", "--no-ff", "-m", "merge", "feature"});
  const GitScan scan = git_scan({"git", "--range", base + "..HEAD", repo.path().string()});
  EXPECT_TRUE(findings_of(scan.findings, user_token("renamed")).empty()) << scan.process.out;
  const auto found = findings_of(scan.findings, user_token("feature"));
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["source"]["commit"], on_feature);
}

TEST(GitRangeCli, EvilMergeLineIsCreditedToTheMerge) {
  GitRepo repo;
  const std::string base = repo.commit_file("f.txt", "1\n", "base");
  repo.git({"checkout", "-q", "-b", "side"});
  repo.commit_file("s.txt", "s\n", "side");
  repo.git({"checkout", "-q", "main"});
  repo.git({"merge", "-q", "--no-ff", "--no-commit", "side"});
  repo.write("f.txt", "1\n" + user_token_line("evil"));
  repo.git({"add", "f.txt"});
  repo.git({"commit", "-q", "-m", "merge side"});
  const GitScan scan = git_scan({"git", "--range", base + "..HEAD", repo.path().string()});
  const auto found = findings_of(scan.findings, user_token("evil"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["commit"], repo.rev("HEAD"));
}

TEST(GitRangeCli, ShallowCloneWithMissingBaseExitsThreeAndSaysFetchDepthZero) {
  GitRepo origin;
  const std::string base = origin.commit_file("a.txt", "1\n", "base");
  origin.commit_file("a.txt", "2\n", "middle");
  origin.commit_file("b.env", user_token_line("shallow"), "head");
  TempDir dir;
  origin.git({"clone", "-q", "--depth", "1", "file://" + origin.path().string(), (dir.path() / "s").string()});
  const GitScan scan = git_scan({"git", "--range", base + "..HEAD", (dir.path() / "s").string()});
  EXPECT_EQ(scan.process.exit_code, 3) << scan.process.err;
  EXPECT_NE(scan.process.err.find("fetch-depth: 0"), std::string::npos) << scan.process.err;
  EXPECT_NE(scan.process.err.find(base), std::string::npos);
}

TEST(GitRangeCli, AllZeroBaseScansTheNewBranchAndSaysSo) {
  GitRepo origin;
  origin.commit_file("old.env", user_token_line("on-main"), "main secret");
  TempDir dir;
  origin.git({"clone", "-q", origin.path().string(), (dir.path() / "c").string()});
  GitRepo clone(dir.path() / "c");
  clone.git({"checkout", "-q", "-b", "topic"});
  const std::string added = clone.commit_file("new.env", user_token_line("on-topic"), "topic secret");
  const GitScan scan = git_scan({"git", "--range", std::string(40, '0') + "..HEAD", clone.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_NE(scan.process.err.find("all zeros"), std::string::npos) << scan.process.err;
  EXPECT_TRUE(findings_of(scan.findings, user_token("on-main")).empty());
  const auto found = findings_of(scan.findings, user_token("on-topic"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["source"]["commit"], added);

  // BASE == HEAD with HEAD already inside another remote branch: HEAD's own commit, never nothing.
  const std::string later = clone.commit_file("later.txt", "x\n", "later");
  clone.git({"update-ref", "refs/remotes/origin/elsewhere", later});
  clone.git({"reset", "-q", "--hard", added});
  const GitScan same = git_scan({"git", "--range", added + ".." + added, clone.path().string()});
  EXPECT_EQ(findings_of(same.findings, user_token("on-topic")).size(), 1u) << same.process.err;
  EXPECT_NE(same.process.err.find("HEAD's own commit"), std::string::npos) << same.process.err;
}

TEST(GitRangeCli, UsageErrors) {
  GitRepo repo;
  repo.commit_file("a", "1\n", "one");
  EXPECT_EQ(git_scan({"git", "--range", "HEAD", repo.path().string()}).process.exit_code, 2);
  EXPECT_EQ(git_scan({"git", "--range", "HEAD..nope", repo.path().string()}).process.exit_code, 2);
  EXPECT_EQ(git_scan({"git", "--range", "HEAD..HEAD", "--since", "HEAD", repo.path().string()}).process.exit_code, 2);
  EXPECT_EQ(git_scan({"git", "--all-objects", "--since", "HEAD", repo.path().string()}).process.exit_code, 2);
}

}  // namespace
}  // namespace sentryscan::testing
