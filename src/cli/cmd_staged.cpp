// `sentryscan staged [REPO]`: what `git commit` would record, for pre-commit hooks.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "cli/commands.h"
#include "app/config_files.h"
#include "app/run_scan.h"
#include "cli/common_options.h"
#include "cli/open_repository.h"
#include "source/git/staged.h"

namespace sentryscan::cli {

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
    git::Session session(git::Session::PackWindows::library_default);
    std::optional<git::Repository> opened = open_repository_or_report(state->repo, exit_code);
    if (!opened) return;
    git::Repository repo = std::move(*opened);
    if (git_repository_is_bare(repo.get())) {
      fmt::print(stderr, "sentryscan: error: {}: a bare repository has no staged changes\n",
                 git_repository_path(repo.get()));
      exit_code = 2;
      return;
    }
    const auto settings = load_settings(state->common, ConfigPlace{git::config_root(repo.get())});
    if (!settings) {
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_scan(*settings, [&](const Scanner& scanner, ScanSink& sink) {
      try {
        git::run_staged(scanner, sink, repo.get(), settings->exclude);
      } catch (const std::exception& e) {
        sink.add_issue({ScanIssue::Kind::incomplete, "", e.what()});
      }
    });
  });
}

}  // namespace sentryscan::cli
