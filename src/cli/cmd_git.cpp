// `sentryscan git [REPO]`: the history audit, or with --range/--since the PR gate.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "cli/commands.h"
#include "app/config_files.h"
#include "app/run_scan.h"
#include "cli/common_options.h"
#include "cli/open_repository.h"
#include "core/diagnostics.h"
#include "source/git/audit.h"
#include "source/git/range/range.h"

namespace sentryscan::cli {

void register_git_command(CLI::App& app, int& exit_code) {
  struct State {
    LowArgs common;
    std::string repo;
    std::string range;
    std::string since;
    bool all_objects = false;
    bool recurse_submodules = false;
    std::string config_from;  // empty: base with a range, worktree for an audit
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand(
      "git", "Scan git history: every distinct blob reachable from any ref, or only what a range of commits adds");
  command->add_option("repo", state->repo, "Repository: working tree, .git or bare directory (default: current)");
  auto* range = command->add_option("--range", state->range,
                                    "Only lines added by the commits in BASE..HEAD (PR gate); BASE...HEAD starts "
                                    "at the merge base");
  auto* since = command->add_option("--since", state->since, "Same as --range REV..HEAD");
  auto* all = command->add_flag("--all-objects", state->all_objects,
                                "Also scan objects no ref reaches (dangling commits, reflog-only history)");
  command->add_flag("--recurse-submodules", state->recurse_submodules,
                    "Also scan the history of checked-out submodules");
  command->add_option("--config-from", state->config_from,
                      "Where .sentryscan.toml and .sentryscanignore come from with --range/--since: base (default; "
                      "the range cannot change the rules it is judged by), head or worktree")
      ->check(CLI::IsMember({"base", "head", "worktree"}));
  range->excludes(since);
  all->excludes(range)->excludes(since);
  add_common_options(*command, state->common);

  command->callback([state, &exit_code] {
    git::Session session;
    std::optional<git::Repository> opened = open_repository_or_report(state->repo, exit_code);
    if (!opened) return;
    git::Repository repo = std::move(*opened);

    std::optional<git::RangePlan> plan;
    if (!state->range.empty() || !state->since.empty()) {
      std::optional<git::RangeSpec> spec;
      if (!state->range.empty()) {
        spec = git::parse_range(state->range);
        if (!spec) {
          print_error("--range: expected BASE..HEAD or BASE...HEAD, got '{}'", state->range);
          exit_code = 2;
          return;
        }
      } else {
        spec = git::RangeSpec{state->since, "HEAD", false};
      }
      try {
        plan = git::plan_range(repo.get(), *spec);
      } catch (const git::RangeError& e) {
        print_error("{}", e.what());
        exit_code = 2;
        return;
      }
    }

    std::optional<Settings> settings;
    if (plan) {
      const ConfigFrom from = state->config_from == "head"       ? ConfigFrom::head
                              : state->config_from == "worktree" ? ConfigFrom::worktree
                                                                 : ConfigFrom::base;
      std::optional<git_oid> base;
      if (plan->kind == git::RangePlan::Kind::range && !git::is_zero(plan->base)) base = plan->base;
      settings = load_range_settings(state->common, repo.get(), base, plan->head, from);
    } else if (!state->config_from.empty() && state->config_from != "worktree") {
      print_error("--config-from {} needs --range or --since (an audit reads the working tree's files)",
                  state->config_from);
    } else {
      settings = load_settings_from_directory(state->common, git::config_root(repo.get()));
    }
    if (!settings) {
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_scan(*settings, [&](const Scanner& scanner, ScanSink& sink) {
      try {
        if (plan) {
          git::run_range(scanner, sink, repo.get(), *plan, settings->exclude);
        } else {
          git::run_audit(scanner, sink, repo.get(),
                         {state->all_objects, state->recurse_submodules, settings->exclude});
        }
      } catch (const std::exception& e) {
        // Whatever was found so far is still reported; the run is incomplete.
        sink.add_issue({ScanIssue::Kind::incomplete, "", e.what()});
      }
    });
  });
}

}  // namespace sentryscan::cli
