// The pre-commit hook run by a real `git commit`, install-hook, and the
// pre-commit framework manifest.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/git_cli.h"
#include "support/hook_env.h"
#include "cli/hook_script.h"

namespace sentryscan::testing {
namespace {

TEST(GitHookCli, EmbeddedScriptIsHooksPreCommit) {
  EXPECT_EQ(git::pre_commit_hook_script(), source_file("hooks/pre-commit"));
  EXPECT_NE(git::pre_commit_hook_script().find(git::hook_marker()), std::string::npos);
}

TEST(GitHookCli, RealCommitIsBlockedAndSkipLetsItThrough) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  const CliResult install = run_sentryscan({"install-hook", repo.path().string()});
  ASSERT_EQ(install.exit_code, 0) << install.err;
  const auto hook = repo.path() / ".git" / "hooks" / "pre-commit";
  ASSERT_TRUE(std::filesystem::exists(hook));
  EXPECT_NE(std::filesystem::status(hook).permissions() & std::filesystem::perms::owner_exec,
            std::filesystem::perms::none);

  repo.write("deploy.env", user_token_line("hook"));
  repo.git({"add", "deploy.env"});
  const CliResult blocked = repo.try_git({"commit", "-m", "leak"}, hook_env());
  EXPECT_NE(blocked.exit_code, 0);
  EXPECT_EQ(commit_count(repo), 1);
  const std::string said = blocked.out + blocked.err;
  EXPECT_NE(said.find("deploy.env"), std::string::npos) << said;
  EXPECT_NE(said.find("git commit --no-verify"), std::string::npos) << said;
  EXPECT_NE(said.find("sentryscan:allow"), std::string::npos) << said;
  EXPECT_NE(said.find(".sentryscanignore"), std::string::npos) << said;
  EXPECT_EQ(said.find(user_token("hook")), std::string::npos) << "the secret itself must not be printed";

  const CliResult skipped = repo.try_git({"commit", "-q", "-m", "leak"}, hook_env({{"SKIP", "flake8, sentryscan"}}));
  EXPECT_EQ(skipped.exit_code, 0) << skipped.err;
  EXPECT_EQ(commit_count(repo), 2);

  // A clean change goes through with the hook active.
  repo.write("notes.txt", "nothing secret\n");
  repo.git({"add", "notes.txt"});
  const CliResult clean = repo.try_git({"commit", "-q", "-m", "clean"}, hook_env());
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_EQ(commit_count(repo), 3);
}

TEST(GitHookCli, CommitAllChecksWhatGitCommitsNotTheOldIndex) {
  // `git commit -a` stages into a temporary index (GIT_INDEX_FILE) before the hook runs.
  GitRepo repo;
  repo.commit_file("app.env", "A=1\n", "init");
  ASSERT_EQ(run_sentryscan({"install-hook", repo.path().string()}).exit_code, 0);
  repo.write("app.env", "A=1\n" + user_token_line("commit-all"));
  const CliResult blocked = repo.try_git({"commit", "-a", "-m", "leak"}, hook_env());
  EXPECT_NE(blocked.exit_code, 0) << blocked.out << blocked.err;
  EXPECT_EQ(commit_count(repo), 1);
  // And `git commit PATH` likewise.
  const CliResult by_path = repo.try_git({"commit", "-m", "leak", "app.env"}, hook_env());
  EXPECT_NE(by_path.exit_code, 0) << by_path.out << by_path.err;
  EXPECT_EQ(commit_count(repo), 1);
}

TEST(GitHookCli, HookBlocksWhenSentryscanIsMissing) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  ASSERT_EQ(run_sentryscan({"install-hook", repo.path().string()}).exit_code, 0);
  repo.write("a.txt", "a\n");
  repo.git({"add", "a.txt"});
  const CliResult result = repo.try_git({"commit", "-m", "x"}, {{"SENTRYSCAN", "/nonexistent/sentryscan"}});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("not found"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("SKIP=sentryscan"), std::string::npos);
}

TEST(GitHookCli, InstallHookRefusesAForeignHookUnlessForced) {
  GitRepo repo;
  const auto hooks = repo.path() / ".git" / "hooks";
  std::filesystem::create_directories(hooks);
  {
    std::ofstream out(hooks / "pre-commit");
    out << "#!/bin/sh\necho mine\n";
  }
  const CliResult refused = run_sentryscan({"install-hook", repo.path().string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_EQ(read_file(hooks / "pre-commit"), "#!/bin/sh\necho mine\n");

  const CliResult forced = run_sentryscan({"install-hook", "--force", repo.path().string()});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(read_file(hooks / "pre-commit"), source_file("hooks/pre-commit"));
  EXPECT_EQ(read_file(hooks / "pre-commit.before-sentryscan"), "#!/bin/sh\necho mine\n");

  // Re-installing over our own hook needs no --force.
  EXPECT_EQ(run_sentryscan({"install-hook", repo.path().string()}).exit_code, 0);
}

TEST(GitHookCli, InstallHookHonoursCoreHooksPath) {
  GitRepo repo;
  repo.git({"config", "core.hooksPath", ".githooks"});
  CliOptions options;
  options.cwd = repo.path();
  const CliResult result = run_sentryscan({"install-hook"}, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(repo.path() / ".githooks" / "pre-commit"));
}

// What the pre-commit framework does with the manifest: run `entry` with the
// file names (all files for --all-files).
TEST(GitHookCli, PreCommitFrameworkManifestScansTheFilesItIsGiven) {
  const std::string manifest = source_file(".pre-commit-hooks.yaml");
  const auto id = manifest.find("- id: sentryscan\n");
  ASSERT_NE(id, std::string::npos);
  const auto entry_at = manifest.find("entry: ", id);
  ASSERT_NE(entry_at, std::string::npos);
  const std::string entry = manifest.substr(entry_at + 7, manifest.find('\n', entry_at) - entry_at - 7);
  EXPECT_EQ(entry, "sentryscan scan");
  EXPECT_NE(manifest.find("pass_filenames: true", id), std::string::npos);

  GitRepo repo;
  repo.commit_file("committed.env", user_token_line("all-files"), "already committed");
  repo.commit_file("clean.txt", "x\n", "clean");
  // `pre-commit run --all-files` passes every tracked file.
  const std::vector<std::string> files = {"clean.txt", "committed.env"};
  std::vector<std::string> args{"scan", "--format", "json"};
  args.insert(args.end(), files.begin(), files.end());
  CliOptions options;
  options.cwd = repo.path();
  const CliResult result = run_sentryscan(args, options);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("committed.env"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
