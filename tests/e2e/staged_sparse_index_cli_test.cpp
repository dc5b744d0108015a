// `sentryscan staged` in a repository with a sparse index (`git sparse-checkout
// --sparse-index`): the index holds whole directories outside the cone as one
// entry naming their tree. libgit2 cannot read such an index; sentryscan
// expands those entries from their trees and compares the index in full.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

int commit_count(GitRepo& repo) {
  const CliResult result = repo.try_git({"rev-list", "--count", "HEAD"});
  return result.exit_code == 0 ? std::stoi(result.out) : 0;
}

// Files in and out of the cone, then `sparse-checkout set in` with a sparse index.
void make_sparse(GitRepo& repo) {
  repo.git({"sparse-checkout", "init", "--cone", "--sparse-index"});
  repo.git({"sparse-checkout", "set", "in"});
  // Really sparse: "out/" is one directory entry of the index.
  const std::string listed = repo.git({"ls-files", "--sparse"});
  ASSERT_NE(listed.find("out/\n"), std::string::npos) << listed;
}

void fill(GitRepo& repo) {
  repo.write("in/keep.txt", "inside\n");
  repo.write("out/deep/old.env", "OLD=1\n");
  repo.write("out/other.txt", "outside\n");
  repo.write("top.txt", "top\n");
  repo.commit("base");
}

TEST(StagedSparseIndexCli, ChangeInsideTheConeIsFound) {
  GitRepo repo;
  fill(repo);
  make_sparse(repo);

  // Nothing staged: clean, and the sparse entries are no false positive.
  const GitScan clean = git_scan({"staged"}, repo.path());
  EXPECT_EQ(clean.process.exit_code, 0) << clean.process.err;

  repo.write("in/app.env", user_token_line("sparse-in-cone"));
  repo.git({"add", "in/app.env"});
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, user_token("sparse-in-cone"));
  ASSERT_EQ(found.size(), 1u) << scan.process.out << scan.process.err;
  EXPECT_EQ(found[0]["location"]["path"], "in/app.env");
}

TEST(StagedSparseIndexCli, ChangeInsideASparseDirectoryIsFound) {
  GitRepo repo;
  fill(repo);
  repo.write("out/deep/new.env", "X=1\n" + user_token_line("sparse-out-of-cone"));
  repo.commit("add a secret outside the cone");
  make_sparse(repo);
  // Undo the commit but keep its index: "out/" is now a directory entry
  // whose tree holds a file HEAD does not have.
  repo.git({"reset", "--soft", "HEAD~1"});
  ASSERT_NE(repo.git({"diff", "--cached", "--name-only"}).find("out/deep/new.env"), std::string::npos);

  const GitScan scan = git_scan({"staged"}, repo.path());
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, user_token("sparse-out-of-cone"));
  ASSERT_EQ(found.size(), 1u) << scan.process.out << scan.process.err;
  EXPECT_EQ(found[0]["location"]["path"], "out/deep/new.env");
  EXPECT_EQ(found[0]["location"]["line"], 2);
}

TEST(StagedSparseIndexCli, IndexVersionFourIsRead) {
  // Version 4 compresses each path against the previous one.
  GitRepo repo;
  fill(repo);
  repo.write("out/deep/zz.txt", "more\n");
  repo.write("in/sub/dir/a.txt", "a\n");
  repo.commit("more paths");
  make_sparse(repo);
  repo.git({"update-index", "--index-version", "4"});
  repo.write("in/sub/dir/b.env", user_token_line("sparse-v4"));
  repo.git({"add", "in/sub/dir/b.env"});
  ASSERT_NE(repo.git({"ls-files", "--sparse"}).find("out/\n"), std::string::npos);

  const GitScan scan = git_scan({"staged"}, repo.path());
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, user_token("sparse-v4"));
  ASSERT_EQ(found.size(), 1u) << scan.process.out << scan.process.err;
  EXPECT_EQ(found[0]["location"]["path"], "in/sub/dir/b.env");
}

TEST(StagedSparseIndexCli, HookBlocksCommitAllInASparseRepository) {
  GitRepo repo;
  fill(repo);
  make_sparse(repo);
  const auto hook = repo.path() / ".git" / "hooks" / "pre-commit";
  std::filesystem::create_directories(hook.parent_path());
  {
    std::ofstream out(hook);
    out << "#!/bin/sh\nexec '" << SENTRYSCAN_BINARY << "' staged\n";
  }
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all);
  repo.write("in/keep.txt", "inside\n" + user_token_line("sparse-hook"));
  const CliResult blocked = repo.try_git({"commit", "-a", "-m", "leak"});
  EXPECT_NE(blocked.exit_code, 0) << blocked.out << blocked.err;
  EXPECT_NE((blocked.out + blocked.err).find("in/keep.txt"), std::string::npos) << blocked.out << blocked.err;
  EXPECT_EQ(commit_count(repo), 1);
}

}  // namespace
}  // namespace sentryscan::testing
