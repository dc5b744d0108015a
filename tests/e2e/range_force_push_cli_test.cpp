// `sentryscan git --range BEFORE..AFTER` after a force-push: BEFORE (the old
// tip) is in no fresh clone, and no fetch can bring it back.
#include <gtest/gtest.h>

#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

// origin: main holds an old secret; `topic` was pushed at `old_tip`, then
// force-pushed to a new commit made from main. A fresh clone of origin never
// sees `old_tip`, as in CI after the push.
struct ForcePushed {
  GitRepo origin;
  TempDir dir;
  std::string old_tip, new_tip;
  std::filesystem::path clone_path;

  explicit ForcePushed(const std::string& new_content, const std::string& clone_option = "") {
    origin.commit_file("main.env", user_token_line("on-main"), "main secret");
    origin.git({"checkout", "-q", "-b", "topic"});
    old_tip = origin.commit_file("t.txt", "first try\n", "topic, first version");
    origin.git({"reset", "-q", "--hard", "main"});
    new_tip = origin.commit_file("t.env", new_content, "topic, rewritten");
    clone_path = dir.path() / "ci";
    std::vector<std::string> clone{"clone", "-q", "--branch", "topic"};
    if (!clone_option.empty()) clone.push_back(clone_option);
    clone.insert(clone.end(), {"file://" + origin.path().string(), clone_path.string()});
    origin.git(clone);
  }

  GitScan scan() { return git_scan({"git", "--range", old_tip + ".." + new_tip, clone_path.string()}); }
};

TEST(RangeForcePushCli, MissingFullIdBaseScansTheNewCommitsAndFindsTheSecret) {
  ForcePushed push(user_token_line("force-pushed"));
  GitRepo clone(push.clone_path);
  ASSERT_NE(clone.try_git({"cat-file", "-e", push.old_tip}).exit_code, 0) << "the old tip must be gone";
  const GitScan scan = push.scan();
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, user_token("force-pushed"));
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["source"]["commit"], push.new_tip);
  // What main already had is not the branch's doing.
  EXPECT_TRUE(findings_of(scan.findings, user_token("on-main")).empty()) << scan.process.out;
  EXPECT_NE(scan.process.err.find("sentryscan: warning: "), std::string::npos) << scan.process.err;
  EXPECT_NE(scan.process.err.find("force-push"), std::string::npos) << scan.process.err;
  EXPECT_NE(scan.process.err.find(push.old_tip), std::string::npos) << scan.process.err;
}

TEST(RangeForcePushCli, MissingFullIdBaseWithACleanRewritePasses) {
  ForcePushed push("nothing secret\n");
  const GitScan scan = push.scan();
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.out << scan.process.err;
  EXPECT_EQ(scan.process.err.find("incomplete"), std::string::npos) << scan.process.err;
  EXPECT_NE(scan.process.err.find("force-push"), std::string::npos) << scan.process.err;
}

TEST(RangeForcePushCli, MissingBaseInAShallowCloneStaysIncomplete) {
  ForcePushed push("nothing secret\n", "--depth=1");
  const GitScan scan = push.scan();
  EXPECT_EQ(scan.process.exit_code, 3) << scan.process.err;
  EXPECT_NE(scan.process.err.find("fetch-depth: 0"), std::string::npos) << scan.process.err;
}

TEST(RangeForcePushCli, BaseNameThatDoesNotResolveIsAUsageError) {
  ForcePushed push("nothing secret\n");
  const GitScan scan = git_scan({"git", "--range", "no-such-branch..HEAD", push.clone_path.string()});
  EXPECT_EQ(scan.process.exit_code, 2) << scan.process.err;
  EXPECT_NE(scan.process.err.find("no-such-branch"), std::string::npos) << scan.process.err;
  // An abbreviated id is a name too: only a full id can be a vanished commit.
  const GitScan short_id = git_scan({"git", "--range", push.old_tip.substr(0, 12) + "..HEAD",
                                     push.clone_path.string()});
  EXPECT_EQ(short_id.process.exit_code, 2) << short_id.process.err;
}

// pull_request_target checks out the base: the PR head's commit was never fetched.
TEST(RangeForcePushCli, MissingFullIdHeadSaysWhichRefToFetch) {
  ForcePushed push("nothing secret\n");
  GitRepo other;
  const std::string never_fetched = other.commit_file("x", "x\n", "elsewhere");
  const GitScan scan = git_scan({"git", "--range", "HEAD.." + never_fetched, push.clone_path.string()});
  EXPECT_EQ(scan.process.exit_code, 3) << scan.process.err;
  EXPECT_NE(scan.process.err.find("refs/pull/*/head"), std::string::npos) << scan.process.err;
  EXPECT_NE(scan.process.err.find(never_fetched), std::string::npos) << scan.process.err;
}

}  // namespace
}  // namespace sentryscan::testing
