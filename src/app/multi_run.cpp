#include "app/multi_run.h"

#include <filesystem>

#include "app/config_files.h"
#include "app/manifest.h"
#include "app/multi_audit.h"
#include "app/run_scan.h"
#include "app/state_run.h"
#include "core/diagnostics.h"
#include "core/input_error.h"
#include "core/secret_hash.h"
#include "core/user_file.h"
#include "report/report.h"
#include "source/git/resume.h"

namespace sentryscan {
namespace {

bool mergeable_format(ReportFormat format) { return format == ReportFormat::json || format == ReportFormat::jsonl; }

std::optional<std::vector<RepositoryEntry>> gather(const MultiAuditRequest& request, std::vector<std::string>& warnings) {
  std::vector<RepositoryEntry> entries;
  for (const auto& target : request.targets) entries.push_back(make_entry(target, {}));
  if (!request.repos_file.empty()) {
    try {
      for (auto& entry : read_repository_list(request.repos_file)) entries.push_back(std::move(entry));
    } catch (const InputError& e) {
      print_error("{}", e.what());
      return std::nullopt;
    }
  }
  for (const auto& name : drop_duplicates(entries))
    warnings.push_back("repository " + name + " is listed more than once: audited once");
  if (entries.empty()) {
    print_error("no repositories to audit{}", request.repos_file.empty() ? "" : " in " + request.repos_file);
    return std::nullopt;
  }
  return entries;
}

}  // namespace

int run_multi_audit(const LowArgs& args, const MultiAuditRequest& request) {
  std::vector<std::string> warnings;
  const auto entries = gather(request, warnings);
  if (!entries) return kExitUsage;
  // One set of settings for every repository (and every shard): no
  // repository's own .sentryscan.toml or .sentryscanignore applies; --config does.
  std::optional<Settings> settings = load_settings(args, std::nullopt);
  if (!settings) return kExitUsage;
  for (auto& warning : warnings) settings->warnings.push_back(std::move(warning));
  const bool to_file = !settings->output.empty();
  if (request.shard && (!to_file || !mergeable_format(settings->format))) {
    print_error("--shard needs --format jsonl (or json) and --output FILE: `sentryscan merge` reads the report and "
                "the manifest written next to it");
    return kExitUsage;
  }
  const ShardSpec shard = request.shard.value_or(ShardSpec{});
  const std::vector<RepositoryEntry> mine = entries_of_shard(*entries, shard);

  git::Session session;
  std::vector<RepositoryOutcome> outcomes;
  const git::AuditOptions options{request.all_objects, request.recurse_submodules, settings->exclude,
                                  request.libgit2_reader ? git::ObjectReader::libgit2 : git::ObjectReader::pack};
  const remote::RemoteOptions remote_options{request.cache_dir, remote::token_from_environment(),
                                             args.validate.ca_cert.value_or("")};
  // --state: one record per repository, decided in its lane once it is
  // open; written once at the end. Local paths are recorded under their
  // canonical git directory (as `sentryscan git --state` of one records
  // them), remote URLs under their normalised, credential-free text.
  std::optional<StateRun> state_run;
  if (!request.state_file.empty()) {
    state_run = open_state_run(request.state_file, *settings, request.recurse_submodules, request.new_only);
    if (!state_run) return kExitUsage;
    state_run->listed = mine.size();
  }
  OnOpened on_opened;
  if (state_run)
    on_opened = [&](const RepositoryEntry& entry, git_repository* repo, git::AuditOptions& own) {
      const std::string key = entry.remote ? entry.normalised : git::repository_identity(repo);
      RepositoryResume& resume = resume_repository(*state_run, repo, key, entry.display);
      own.known_tips = resume.resume_from;
      own.walk = &resume.walk;
    };
  RunHooks hooks = state_run ? state_hooks(*state_run) : RunHooks{};
  const auto record_state = std::move(hooks.finished);
  // The state first (its records advance only for complete repositories),
  // then the manifest, which records the exit status that results.
  hooks.finished = [&, record_state](const Report& report, int status) {
    if (!record_state) return status;
    for (auto& resume : state_run->repositories)
      for (const auto& outcome : outcomes)
        if (outcome.name == resume.name) resume.complete = outcome.complete;
    return record_state(report, status);
  };
  if (to_file && mergeable_format(settings->format)) {
    hooks.finished = [&, state_first = std::move(hooks.finished)](const Report& report, int status) {
      status = state_first(report, status);
      Manifest m;
      m.tool_version = SENTRYSCAN_VERSION;
      m.report = std::filesystem::path(settings->output).filename().string();
      m.report_sha256 = sha256_hex(read_user_file(settings->output).text);
      m.format = std::string(settings->format == ReportFormat::json ? "json" : "jsonl");
      m.shard = shard;
      m.list_entries = entries->size();
      m.list_sha256 = list_digest(*entries);
      m.settings_sha256 = settings_digest(*settings, request.all_objects, request.recurse_submodules);
      m.repositories = outcomes;
      for (const auto& outcome : outcomes) m.complete = m.complete && outcome.complete;
      for (const auto& issue : report.issues) m.complete = m.complete && issue.kind != ScanIssue::Kind::incomplete;
      m.exit_status = status;
      m.stats = report.stats;
      m.suppressed = report.suppressed;
      m.validation = report.validation;
      m.finished_at = report.finished_at;
      m.issues = report.issues;
      const std::string path = manifest_path(settings->output);
      if (auto why = write_file_atomically(path, manifest_to_json(m))) {
        print_error("cannot write the manifest {}: {}", path, *why);
        return kExitUsage;
      }
      return status;
    };
  }
  return run_scan(
      *settings,
      [&](const Scanner& scanner, ScanSink& sink) {
        outcomes = audit_repositories(scanner, sink, mine, options, remote_options, on_opened);
      },
      hooks);
}

}  // namespace sentryscan
