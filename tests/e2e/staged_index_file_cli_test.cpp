// `sentryscan staged REPO` and GIT_INDEX_FILE: git names a temporary index in
// it for the hooks of `git commit -a` and `git commit PATH`. It is honoured
// whenever REPO is the repository the environment is about (GIT_DIR, or the
// one around the current directory), whether or not REPO is spelled out.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

int commit_count(GitRepo& repo) {
  const CliResult result = repo.try_git({"rev-list", "--count", "HEAD"});
  return result.exit_code == 0 ? std::stoi(result.out) : 0;
}

void install_hook(GitRepo& repo, const std::string& command) {
  const auto hook = repo.path() / ".git" / "hooks" / "pre-commit";
  std::filesystem::create_directories(hook.parent_path());
  {
    std::ofstream out(hook);
    out << "#!/bin/sh\n" << command << "\n";
  }
  chmod(hook.c_str(), 0755);
}

std::string quoted_binary() { return std::string("'") + SENTRYSCAN_BINARY + "'"; }

TEST(StagedIndexFileCli, HookNamingTheRepositoryBlocksCommitAll) {
  GitRepo repo;
  repo.commit_file("app.env", "A=1\n", "init");
  install_hook(repo, "exec " + quoted_binary() + " staged .");
  repo.write("app.env", "A=1\n" + user_token_line("hook-commit-all"));

  const CliResult all = repo.try_git({"commit", "-a", "-m", "x"});
  EXPECT_NE(all.exit_code, 0) << all.out << all.err;
  EXPECT_EQ(commit_count(repo), 1);
  EXPECT_NE((all.out + all.err).find("app.env"), std::string::npos) << all.out << all.err;

  // `git commit PATH` also commits from a temporary index.
  const CliResult by_path = repo.try_git({"commit", "-m", "x", "app.env"});
  EXPECT_NE(by_path.exit_code, 0) << by_path.out << by_path.err;
  EXPECT_EQ(commit_count(repo), 1);

  // The same hook with the absolute path of the repository.
  install_hook(repo, "exec " + quoted_binary() + " staged '" + repo.path().string() + "'");
  EXPECT_NE(repo.try_git({"commit", "-a", "-m", "x"}).exit_code, 0);
  EXPECT_EQ(commit_count(repo), 1);

  // A clean `commit -a` goes through.
  repo.write("app.env", "A=2\n");
  const CliResult clean = repo.try_git({"commit", "-a", "-q", "-m", "clean"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_EQ(commit_count(repo), 2);
}

// A repository whose real index is clean and a second index, outside it,
// that stages a secret.
struct TwoIndexes {
  GitRepo repo;
  TempDir elsewhere;
  std::filesystem::path index;

  TwoIndexes() {
    repo.commit_file("app.env", "A=1\n", "init");
    repo.commit_file("src/main.c", "int main;\n", "src");
    index = elsewhere.path() / "temp-index";
    std::filesystem::copy_file(repo.path() / ".git" / "index", index);
    repo.write("app.env", "A=1\n" + user_token_line("temp-index"));
    repo.git({"add", "app.env"}, {{"GIT_INDEX_FILE", index.string()}});
  }
};

TEST(StagedIndexFileCli, DirectInvocationHonoursGitIndexFileForTheCurrentRepository) {
  TwoIndexes setup;
  const auto& repo = setup.repo.path();
  const std::string secret = user_token("temp-index");

  // Without GIT_INDEX_FILE: the real index, which stages nothing.
  EXPECT_EQ(git_scan({"staged", "."}, repo).process.exit_code, 0);

  for (const std::string& argument : {std::string("."), repo.string()}) {
    const GitScan scan = git_scan({"staged", argument}, repo, {{"GIT_INDEX_FILE", setup.index.string()}});
    EXPECT_EQ(scan.process.exit_code, 1) << argument << ": " << scan.process.err;
    EXPECT_EQ(findings_of(scan.findings, secret).size(), 1u) << argument;
  }
  // From a subdirectory, naming the top.
  const GitScan from_sub = git_scan({"staged", ".."}, repo / "src", {{"GIT_INDEX_FILE", setup.index.string()}});
  EXPECT_EQ(from_sub.process.exit_code, 1) << from_sub.process.err;

  // A relative GIT_INDEX_FILE is relative to the current directory, as for git.
  const auto relative = std::filesystem::relative(setup.index, repo);
  const GitScan rel = git_scan({"staged", "."}, repo, {{"GIT_INDEX_FILE", relative.string()}});
  EXPECT_EQ(rel.process.exit_code, 1) << relative << ": " << rel.process.err;

  // GIT_DIR names the repository; the current directory is elsewhere.
  const GitScan by_git_dir = git_scan({"staged", repo.string()}, setup.elsewhere.path(),
                                      {{"GIT_DIR", (repo / ".git").string()}, {"GIT_INDEX_FILE", setup.index.string()}});
  EXPECT_EQ(by_git_dir.process.exit_code, 1) << by_git_dir.process.err;
}

TEST(StagedIndexFileCli, GitIndexFileOfAnotherRepositoryIsNotUsed) {
  TwoIndexes setup;
  GitRepo other;
  other.commit_file("README", "x\n", "init");
  // Run from the other repository: its GIT_INDEX_FILE says nothing about `setup.repo`.
  const GitScan scan =
      git_scan({"staged", setup.repo.path().string()}, other.path(), {{"GIT_INDEX_FILE", setup.index.string()}});
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.err;
  // And from outside any repository.
  const GitScan outside = git_scan({"staged", setup.repo.path().string()}, setup.elsewhere.path(),
                                   {{"GIT_INDEX_FILE", setup.index.string()}, {"GIT_CEILING_DIRECTORIES", "/"}});
  EXPECT_EQ(outside.process.exit_code, 0) << outside.process.err;
}

TEST(StagedIndexFileCli, MissingGitIndexFileIsReportedNotTakenAsEmpty) {
  TwoIndexes setup;
  const auto missing = setup.elsewhere.path() / "no-such-index";
  for (const std::string& argument : {std::string(), std::string(".")}) {
    std::vector<std::string> args{"staged"};
    if (!argument.empty()) args.push_back(argument);
    const GitScan scan = git_scan(args, setup.repo.path(), {{"GIT_INDEX_FILE", missing.string()}});
    EXPECT_EQ(scan.process.exit_code, 3) << argument << ": " << scan.process.err;
    EXPECT_NE(scan.process.err.find("GIT_INDEX_FILE"), std::string::npos) << scan.process.err;
  }
}

}  // namespace
}  // namespace sentryscan::testing
