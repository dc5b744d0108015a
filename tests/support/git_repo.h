// Real git repositories for tests, built by the real `git` CLI in a TempDir
// with a fixed, isolated environment (no user or system config, fixed
// identities, commit dates one minute apart so "earliest" is well defined).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {

// The environment every git command (and the sentryscan processes of git
// tests) runs with: isolated from the user's and the machine's git config.
std::map<std::string, std::string> git_test_env();

class GitRepo {
 public:
  // `git init` (or `git init --bare`) in a fresh temporary directory, branch "main".
  explicit GitRepo(bool bare = false);
  // Wraps an existing directory (a clone made by clone_into); not owned.
  explicit GitRepo(std::filesystem::path existing);

  const std::filesystem::path& path() const { return path_; }

  // Runs git in the repository; throws std::runtime_error with git's stderr on failure.
  std::string git(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env = {});
  // Same, returning the result instead of throwing.
  CliResult try_git(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env = {});

  // Writes a file in the working tree (parents created).
  void write(const std::string& relative, std::string_view content);
  void remove(const std::string& relative);
  // `git add -A && git commit`; returns the new commit id.
  std::string commit(const std::string& message);
  // write + commit.
  std::string commit_file(const std::string& relative, std::string_view content, const std::string& message);
  // `git rev-parse REV`.
  std::string rev(const std::string& revision);
  // `git hash-object --stdin` for content (no write).
  std::string blob_id(std::string_view content);
  // Path of the loose object file of `oid`.
  std::filesystem::path loose_object_path(const std::string& oid) const;

 private:
  std::unique_ptr<TempDir> owned_;
  std::filesystem::path path_;
  bool bare_ = false;
  int clock_ = 0;
};

}  // namespace sentryscan::testing
