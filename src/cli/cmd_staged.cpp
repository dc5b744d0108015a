// `sentryscan staged [REPO]`: what `git commit` would record, for pre-commit hooks.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/open_repository.h"
#include "core/diagnostics.h"
#include "source/staged_scan.h"

namespace sentryscan::cli {

void register_staged_command(CLI::App& app, int& exit_code) {
  struct State {
    CommonOptions common;
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
      print_error("{}: a bare repository has no staged changes", git_repository_path(repo.get()));
      exit_code = 2;
      return;
    }
    exit_code = run_scan_pipeline(state->common, git::config_root(repo.get()),
                                  [&](ScanContext& context, const SourceEnv& env) {
                                    try {
                                      git::run_staged(context, repo.get(), env.exclude);
                                    } catch (const std::exception& e) {
                                      context.add_issue({ScanIssue::Kind::incomplete, "", e.what()});
                                    }
                                  });
  });
}

}  // namespace sentryscan::cli
