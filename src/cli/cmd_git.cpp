// `sentryscan git [REPO|URL]`: the history audit, or with --range/--since the PR gate.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "app/config_files.h"
#include "app/remote_target.h"
#include "app/multi_run.h"
#include "app/run_scan.h"
#include "app/state_run.h"
#include "cli/common_options.h"
#include "cli/open_repository.h"
#include "core/diagnostics.h"
#include "source/git/audit/audit.h"
#include "source/git/range/range.h"
#include "source/remote/remote_url.h"
#include "source/git/resume.h"

namespace sentryscan::cli {

void register_git_command(CLI::App& app, int& exit_code) {
  struct State {
    LowArgs common;
    std::vector<std::string> repos;  // none: the current repository; several: a multi-repository audit
    std::string repos_file;
    std::string shard;
    std::string range;
    std::string since;
    bool all_objects = false;
    bool recurse_submodules = false;
    std::string config_from;  // empty: base with a range, worktree for an audit
    RemoteAuditOptions remote;
    std::string object_reader = "pack";
    std::string delta_scan = "off";
    std::string state_file;   // --state
    bool new_only = false;
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand(
      "git", "Scan git history: every distinct blob reachable from any ref, or only what a range of commits adds");
  command->add_option("repo", state->repos,
                      "Repositories: working tree, .git or bare directory (default: current), or remote URLs "
                      "(https://, http://, ssh://, user@host:path, file://) to clone; several: one audit of all of them");
  auto* repos_file = command->add_option(
      "--repos", state->repos_file, "File listing repositories to audit, one path or URL a line ('#' comments)");
  auto* shard = command->add_option("--shard", state->shard,
                                    "Audit only share I of N (0-based) of the repositories, for N processes that "
                                    "cover the list once; needs --format jsonl and --output FILE");
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
  command->add_option("--cache-dir", state->remote.cache_dir,
                      "Keep remote clones in DIR (one folder per URL) and fetch into them on the next run "
                      "(default: a temporary directory removed afterwards)");
  command->add_flag("--remote-config", state->remote.remote_config,
                    "Apply a remote repository's own .sentryscan.toml and .sentryscanignore (default branch)");
  // Hidden: forces the libgit2 reader of before the pack reader, to compare
  // the two (tests, benchmarks); not a user setting.
  command->add_option("--object-reader", state->object_reader, "How the audit reads blobs: pack or libgit2")
      ->check(CLI::IsMember({"pack", "libgit2"}))
      ->group("");
  // Hidden and off by default: scanning only what each delta changed (issue
  // 14; README, "History audit"), or checking it against full scans blob by
  // blob (tests, benchmarks). Its equality argument has known gaps.
  auto* delta_option = command->add_option("--delta-scan", state->delta_scan,
                                           "How blobs rebuilt from deltas are scanned: on, off or verify")
      ->check(CLI::IsMember({"on", "off", "verify"}))
      ->group("");
  auto* state_option = command->add_option(
      "--state", state->state_file,
      "Nightly re-audits: scan only what the ref tips recorded in FILE by the last complete audit do not reach "
      "(everything when rules or settings changed or a ref was rewritten), then record this audit there");
  auto* new_only = command->add_flag("--new-only", state->new_only,
                                     "With --state: report only findings no earlier audit recorded in the state saw");
  new_only->needs(state_option);
  range->excludes(since);
  all->excludes(range)->excludes(since);
  // A range and its config source are about one repository.
  for (auto* multi : {repos_file, shard}) {
    range->excludes(multi);
    since->excludes(multi);
  }
  // A range is already incremental; --all-objects has no tips to resume from (README).
  state_option->excludes(range)->excludes(since)->excludes(all);
  add_common_options(*command, state->common);

  // Several repositories, a list or a shard: one audit of all of them.
  auto run_multi = [](const State& s) {
    if (!s.range.empty() || !s.since.empty() || !s.config_from.empty()) {
      print_error("--range, --since and --config-from are about one repository: not with several repositories, "
                  "--repos or --shard");
      return 2;
    }
    if (s.remote.remote_config) {
      print_error("--remote-config applies to one remote URL: with several repositories no repository's own "
                  "configuration applies");
      return 2;
    }
    MultiAuditRequest request{s.repos, s.repos_file, std::nullopt, s.all_objects, s.recurse_submodules,
                              s.remote.cache_dir, s.object_reader == "libgit2", s.state_file, s.new_only};
    if (!s.shard.empty()) {
      request.shard = parse_shard(s.shard);
      if (!request.shard) {
        print_error("--shard: expected I/N with 0 <= I < N (0-based), got '{}'", s.shard);
        return 2;
      }
    }
    return run_multi_audit(s.common, request);
  };

  command->callback([state, run_multi, &exit_code, delta_option] {
    if (state->repos.size() > 1 || !state->repos_file.empty() || !state->shard.empty()) {
      exit_code = run_multi(*state);
      return;
    }
    git::Session session;
    const std::string target = state->repos.empty() ? std::string() : state->repos.front();
    if (remote::is_remote_url(target)) {
      if (!state->range.empty() || !state->since.empty() || !state->config_from.empty()) {
        print_error("--range, --since and --config-from need a local repository, not a URL");
        exit_code = kExitUsage;
        return;
      }
      state->remote.all_objects = state->all_objects;
      state->remote.recurse_submodules = state->recurse_submodules;
      state->remote.state_file = state->state_file;
      state->remote.new_only = state->new_only;
      exit_code = run_remote_audit(state->common, target, state->remote);
      return;
    }
    if (!state->remote.cache_dir.empty() || state->remote.remote_config) {
      print_error("--cache-dir and --remote-config apply to a remote URL, not to a local repository");
      exit_code = kExitUsage;
      return;
    }
    std::optional<git::Repository> opened = open_repository_or_report(target, exit_code);
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
    // An audit's text report is read by the people who remediate: one entry
    // per secret rather than one per blob version (sentry-javascript: 2,590
    // rows, 53 secrets). Machine formats stay one object per location.
    if (!plan && settings->group_by == GroupBy::automatic && settings->format == ReportFormat::text)
      settings->group_by = GroupBy::secret;
    std::optional<StateRun> resume;
    if (!state->state_file.empty()) {
      resume = prepare_state_run(state->state_file, repo.get(), git::repository_identity(repo.get()), *settings,
                                 state->recurse_submodules, state->new_only);
      if (!resume) {
        exit_code = kExitUsage;
        return;
      }
    }
    const RunHooks hooks = resume ? state_hooks(*resume) : RunHooks{};
    exit_code = run_scan(*settings, [&](const Scanner& scanner, ScanSink& sink) {
      try {
        if (plan) {
          git::run_range(scanner, sink, repo.get(), *plan, settings->exclude);
        } else {
          git::AuditOptions options;
          options.all_objects = state->all_objects;
          options.recurse_submodules = state->recurse_submodules;
          options.exclude = settings->exclude;
          options.object_reader =
              state->object_reader == "libgit2" ? git::ObjectReader::libgit2 : git::ObjectReader::pack;
          // SENTRYSCAN_DELTA_SCAN (hidden) sets the default, so that a whole
          // test suite can run with `verify`: a difference is then an
          // incomplete scan (exit 3), and no counting warning is added.
          std::string delta_scan = state->delta_scan;
          const char* from_environment = std::getenv("SENTRYSCAN_DELTA_SCAN");
          if (delta_option->count() == 0 && from_environment) {
            delta_scan = from_environment;
            options.report_delta_counts = false;
          }
          options.delta_scan = delta_scan == "off"      ? git::DeltaScan::off
                               : delta_scan == "verify" ? git::DeltaScan::verify
                               : delta_scan == "on"     ? git::DeltaScan::on
                                                        : git::DeltaScan::off;
          if (resume) {
            options.known_tips = resume->repositories.front().resume_from;
            options.walk = &resume->repositories.front().walk;
          }
          git::run_audit(scanner, sink, repo.get(), options);
        }
      } catch (const std::exception& e) {
        // Whatever was found so far is still reported; the run is incomplete.
        sink.add_issue({ScanIssue::Kind::incomplete, "", e.what()});
      }
    }, hooks);
  });
}

}  // namespace sentryscan::cli
