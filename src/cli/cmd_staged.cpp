// `sentryscan staged [REPO]`: what `git commit` would record, for pre-commit hooks.
#include <CLI/CLI.hpp>
#include <git2/sys/repository.h>
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "app/config_files.h"
#include "app/run_scan.h"
#include "cli/common_options.h"
#include "cli/open_repository.h"
#include "core/diagnostics.h"
#include "source/git/staged/staged.h"
#include "source/git/staged/staged_index.h"

namespace sentryscan::cli {
namespace {

// GIT_INDEX_FILE, taken out of the environment. libgit2 opens it itself when
// opening a repository from the environment, fails outright on a sparse
// index, and ignores it for a repository named by path; it is applied below
// by one rule instead.
std::optional<std::string> take_index_file_from_environment() {
  const char* value = std::getenv("GIT_INDEX_FILE");
  if (!value || !*value) return std::nullopt;
  std::string index_file = value;
  unsetenv("GIT_INDEX_FILE");
  return index_file;
}

}  // namespace

void register_staged_command(CLI::App& app, int& exit_code) {
  struct State {
    LowArgs common;
    std::string repo;
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand(
      "staged", "Scan the staged changes (index vs HEAD, added lines only), as a pre-commit hook would");
  command->add_option("repo", state->repo, "Repository (default: the current one)");
  add_common_options(*command, state->common);

  command->callback([state, &exit_code] {
    const std::optional<std::string> index_env = take_index_file_from_environment();
    git::Session session(git::Session::PackWindows::library_default);
    std::optional<git::Repository> opened = open_repository_or_report(state->repo, exit_code);
    if (!opened) return;
    git::Repository repo = std::move(*opened);
    if (git_repository_is_bare(repo.get())) {
      print_error("{}: a bare repository has no staged changes", git_repository_path(repo.get()));
      exit_code = 2;
      return;
    }
    // A hook runs `staged` or `staged .` (or the absolute path): GIT_INDEX_FILE
    // is what git is about to commit whenever REPO is the repository the hook
    // runs for. A relative one is relative to the current directory, which a
    // hook shares with git.
    std::string index_file;
    if (index_env && (state->repo.empty() || is_environment_repository(repo.get()))) index_file = *index_env;
    // The index first: the repository's settings are read from it.
    std::optional<git::Index> index;
    std::string index_problem;
    try {
      index.emplace(git::open_staged_index(repo.get(), index_file));
      git::check(git_repository_set_index(repo.get(), index->get()), "using the index");
    } catch (const std::exception& e) {
      index.reset();
      index_problem = e.what();
    }
    const auto settings = index ? load_staged_settings(state->common, repo.get())
                                : load_settings(state->common, std::nullopt);
    if (!settings) {
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_scan(*settings, [&](const Scanner& scanner, ScanSink& sink) {
      try {
        if (!index) throw std::runtime_error(index_problem);
        git::run_staged(scanner, sink, repo.get(), settings->exclude);
      } catch (const std::exception& e) {
        sink.add_issue({ScanIssue::Kind::incomplete, "", e.what()});
      }
    });
  });
}

}  // namespace sentryscan::cli
