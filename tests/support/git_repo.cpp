#include "support/git_repo.h"

#include <fmt/format.h>

#include <cstdio>
#include <stdexcept>

namespace sentryscan::testing {

std::map<std::string, std::string> git_test_env() {
  return {
      {"GIT_CONFIG_GLOBAL", "/dev/null"},
      {"GIT_CONFIG_SYSTEM", "/dev/null"},
      {"GIT_CONFIG_NOSYSTEM", "1"},
      {"GIT_AUTHOR_NAME", "Test Author"},
      {"GIT_AUTHOR_EMAIL", "author@example.com"},
      {"GIT_COMMITTER_NAME", "Test Committer"},
      {"GIT_COMMITTER_EMAIL", "committer@example.com"},
      {"GIT_TERMINAL_PROMPT", "0"},
      {"GIT_ADVICE", "0"},
      {"LC_ALL", "C"},
  };
}

GitRepo::GitRepo(bool bare) : owned_(std::make_unique<TempDir>()), path_(owned_->path()), bare_(bare) {
  std::vector<std::string> args{"init", "-q", "-b", "main"};
  if (bare) args.push_back("--bare");
  git(args);
}

GitRepo::GitRepo(std::filesystem::path existing) : path_(std::move(existing)) {
  bare_ = try_git({"rev-parse", "--is-bare-repository"}).out == "true\n";
}

CliResult GitRepo::try_git(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env) {
  auto env = git_test_env();
  // One minute per git command keeps commit dates increasing and distinct.
  const long seconds = 1714521600L + 60L * clock_++;
  env["GIT_AUTHOR_DATE"] = fmt::format("{} +0000", seconds);
  env["GIT_COMMITTER_DATE"] = fmt::format("{} +0000", seconds);
  for (const auto& [key, value] : extra_env) env[key] = value;
  std::vector<std::string> full{"git"};
  full.insert(full.end(), args.begin(), args.end());
  CliOptions options;
  options.cwd = path_;
  options.env = std::move(env);
  return run_program(full, options);
}

std::string GitRepo::git(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env) {
  CliResult result = try_git(args, extra_env);
  if (result.exit_code != 0) {
    std::string shown;
    for (const auto& a : args) shown += " " + a;
    throw std::runtime_error(fmt::format("git{} failed ({}): {}", shown, result.exit_code, result.err));
  }
  return result.out;
}

void GitRepo::write(const std::string& relative, std::string_view content) {
  const auto full = path_ / relative;
  std::filesystem::create_directories(full.parent_path());
  std::FILE* file = std::fopen(full.c_str(), "wb");
  if (!file) throw std::runtime_error("cannot write " + full.string());
  std::fwrite(content.data(), 1, content.size(), file);
  std::fclose(file);
}

void GitRepo::remove(const std::string& relative) { std::filesystem::remove(path_ / relative); }

std::string GitRepo::commit(const std::string& message) {
  git({"add", "-A"});
  git({"commit", "-q", "--allow-empty", "-m", message});
  return rev("HEAD");
}

std::string GitRepo::commit_file(const std::string& relative, std::string_view content, const std::string& message) {
  write(relative, content);
  return commit(message);
}

std::string GitRepo::rev(const std::string& revision) {
  std::string out = git({"rev-parse", "--verify", "-q", revision});
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string GitRepo::blob_id(std::string_view content) {
  CliOptions options;
  options.cwd = path_;
  options.env = git_test_env();
  options.stdin_text = std::string(content);
  CliResult result = run_program({"git", "hash-object", "--stdin"}, options);
  if (result.exit_code != 0) throw std::runtime_error("git hash-object failed: " + result.err);
  return result.out.substr(0, 40);
}

std::filesystem::path GitRepo::loose_object_path(const std::string& oid) const {
  const auto objects = bare_ ? path_ / "objects" : path_ / ".git" / "objects";
  return objects / oid.substr(0, 2) / oid.substr(2);
}

}  // namespace sentryscan::testing
