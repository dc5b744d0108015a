// `sentryscan git --range BASE..HEAD` against merges that bring back a secret
// BASE had deleted. The merges are crafted with `git commit-tree -p A -p B`
// (or resolved by hand), shapes `git merge` would not produce by itself but
// that anyone can push.
#include <gtest/gtest.h>

#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// Commits the working tree as it is now with exactly these parents, in this
// order, and moves the current branch there.
std::string crafted_commit(GitRepo& repo, const std::vector<std::string>& parents, const std::string& message) {
  repo.git({"add", "-A"});
  const std::string tree = trimmed(repo.git({"write-tree"}));
  std::vector<std::string> args{"commit-tree", tree, "-m", message};
  for (const auto& parent : parents) args.insert(args.end(), {"-p", parent});
  const std::string id = trimmed(repo.git(args));
  repo.git({"update-ref", "HEAD", id});
  return id;
}

// c0 -> C1 (adds s.txt holding the secret) -> C2 (deletes it) = BASE, and a
// PR branch `pr` from BASE whose first commit adds b.txt.
struct DeletedSecret {
  GitRepo repo;
  std::string secret_line = user_token_line("deleted-in-base");
  std::string c0, c1, base, pr_first;

  DeletedSecret() {
    c0 = repo.commit_file("README", "project\n", "c0");
    c1 = repo.commit_file("s.txt", secret_line, "C1: add s.txt");
    repo.remove("s.txt");
    base = repo.commit("C2: delete s.txt");
    repo.git({"checkout", "-q", "-b", "pr"});
    pr_first = repo.commit_file("b.txt", "b\n", "PR: add b.txt");
  }

  GitScan scan() { return git_scan({"git", "--range", base + "..HEAD", repo.path().string()}); }
};

void expect_one_finding(const GitScan& scan, const std::string& secret, const std::string& commit,
                        const std::string& path) {
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, secret);
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["source"]["commit"], commit);
  EXPECT_EQ(found[0]["location"]["path"], path);
}

TEST(RangeMergeReintroductionCli, MergeWithTheOldCommitAsSecondParentIsReported) {
  DeletedSecret fx;
  fx.repo.write("s.txt", fx.secret_line);  // the tree of C1's side: s.txt is back
  const std::string merge = crafted_commit(fx.repo, {fx.pr_first, fx.c1}, "merge C1");
  expect_one_finding(fx.scan(), user_token("deleted-in-base"), merge, "s.txt");
}

TEST(RangeMergeReintroductionCli, MergeWithTheOldCommitAsFirstParentIsReported) {
  DeletedSecret fx;
  fx.repo.write("s.txt", fx.secret_line);
  const std::string merge = crafted_commit(fx.repo, {fx.c1, fx.pr_first}, "merge onto the old side");
  expect_one_finding(fx.scan(), user_token("deleted-in-base"), merge, "s.txt");
}

TEST(RangeMergeReintroductionCli, OctopusMergeIsReported) {
  DeletedSecret fx;
  fx.repo.git({"checkout", "-q", "-b", "third", fx.base});
  const std::string third = fx.repo.commit_file("x.txt", "x\n", "third: add x.txt");
  fx.repo.git({"checkout", "-q", "pr"});
  fx.repo.write("x.txt", "x\n");
  fx.repo.write("s.txt", fx.secret_line);
  const std::string merge = crafted_commit(fx.repo, {fx.pr_first, third, fx.c1}, "octopus");
  expect_one_finding(fx.scan(), user_token("deleted-in-base"), merge, "s.txt");
}

TEST(RangeMergeReintroductionCli, EvilMergeReportsItsOwnSecretAndTheReturningOne) {
  DeletedSecret fx;
  fx.repo.write("s.txt", fx.secret_line);
  fx.repo.write("e.txt", user_token_line("evil-only"));  // in neither parent
  const std::string merge = crafted_commit(fx.repo, {fx.pr_first, fx.c1}, "evil merge");
  const GitScan scan = fx.scan();
  expect_one_finding(scan, user_token("evil-only"), merge, "e.txt");
  expect_one_finding(scan, user_token("deleted-in-base"), merge, "s.txt");
}

// A branch forked before the deletion carries s.txt without adding it; a merge
// of BASE into it must drop s.txt (what `git merge` does). Keeping it puts the
// secret back on top of BASE.
TEST(RangeMergeReintroductionCli, OldBranchThatKeepsTheSecretWhenMergingBaseIsReported) {
  DeletedSecret fx;
  fx.repo.git({"checkout", "-q", "-b", "old-fork", fx.c1});
  fx.repo.commit_file("f.txt", "f\n", "work on a branch forked before the deletion");
  fx.repo.git({"merge", "-q", "--no-ff", "--no-commit", fx.base});
  fx.repo.git({"checkout", fx.c1, "--", "s.txt"});  // the "resolution" keeps it
  const std::string merge = fx.repo.commit("merge BASE, keeping s.txt");
  expect_one_finding(fx.scan(), user_token("deleted-in-base"), merge, "s.txt");
}

TEST(RangeMergeReintroductionCli, OldBranchThatMergesBaseNormallyPasses) {
  DeletedSecret fx;
  fx.repo.git({"checkout", "-q", "-b", "old-fork", fx.c1});
  fx.repo.commit_file("f.txt", "f\n", "work on a branch forked before the deletion");
  const GitScan unmerged = fx.scan();
  // Its commits add no secret; s.txt was there before they were made.
  EXPECT_EQ(unmerged.process.exit_code, 0) << unmerged.process.out << unmerged.process.err;
  fx.repo.git({"merge", "-q", "--no-ff", "-m", "merge BASE", fx.base});
  const GitScan merged = fx.scan();
  EXPECT_EQ(merged.process.exit_code, 0) << merged.process.out << merged.process.err;
}

// What `pull_request` scans: BASE..refs/pull/N/merge, a merge of BASE and a
// branch forked before the deletion that added, then moved, its own secret.
TEST(RangeMergeReintroductionCli, PullRequestMergeRefReportsTheBranchSecretOnceAndNotTheDeletedOne) {
  DeletedSecret fx;
  fx.repo.git({"checkout", "-q", "-b", "old-fork", fx.c1});
  const std::string added = fx.repo.commit_file("a.env", user_token_line("branch-own"), "add a secret");
  fx.repo.git({"mv", "a.env", "b.env"});
  fx.repo.commit("move it");
  fx.repo.git({"checkout", "-q", "--detach", fx.base});
  fx.repo.git({"merge", "-q", "--no-ff", "-m", "Merge into BASE", "old-fork"});
  const GitScan scan = fx.scan();
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, user_token("branch-own"));
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["source"]["commit"], added);
  EXPECT_TRUE(findings_of(scan.findings, user_token("deleted-in-base")).empty()) << scan.process.out;
}

TEST(RangeMergeReintroductionCli, MergeThatOnlyMovesASecretAlreadyInBasePasses) {
  GitRepo repo;
  const std::string c0 = repo.commit_file("README", "project\n", "c0");
  const std::string base = repo.commit_file("k.txt", user_token_line("in-base"), "BASE holds a secret");
  repo.git({"checkout", "-q", "-b", "pr"});
  const std::string pr_first = repo.commit_file("b.txt", "b\n", "PR: add b.txt");
  repo.remove("k.txt");
  repo.write("moved/k.txt", user_token_line("in-base"));
  crafted_commit(repo, {pr_first, c0}, "merge c0, moving k.txt");
  const GitScan scan = git_scan({"git", "--range", base + "..HEAD", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.out << scan.process.err;
  EXPECT_TRUE(findings_of(scan.findings, user_token("in-base")).empty());
}

}  // namespace
}  // namespace sentryscan::testing
