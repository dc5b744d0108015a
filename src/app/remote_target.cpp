#include "app/remote_target.h"

#include <fmt/format.h>

#include "app/config_files.h"
#include "app/repository_list.h"
#include "app/run_scan.h"
#include "app/state_run.h"
#include "core/diagnostics.h"
#include "source/git/audit/audit.h"

namespace sentryscan {

std::variant<RemoteTarget, remote::RemoteError> open_remote_target(const std::string& url,
                                                                   const remote::RemoteOptions& options) {
  auto result = remote::materialize(url, options);
  if (auto* error = std::get_if<remote::RemoteError>(&result)) return std::move(*error);
  RemoteTarget target{std::move(std::get<remote::LocalClone>(result)), {}};
  try {
    target.repo = git::open_repository(target.clone.git_dir);
  } catch (const git::GitError& e) {
    return remote::RemoteError{target.clone.display_name, fmt::format("cannot open the clone: {}", e.what())};
  }
  return target;
}

std::optional<Settings> load_remote_settings(const LowArgs& args, git_repository* repo, bool remote_config) {
  git_oid head{};
  std::optional<ConfigFiles> remote_files;
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0) {
    try {
      remote_files = config_files_in_commit(repo, head, "the remote's default branch");
    } catch (const std::exception& e) {
      print_error("{}", e.what());
      return std::nullopt;
    }
  }
  if (remote_config) return load_settings(args, remote_files);
  std::vector<std::string> notes;
  if (remote_files) {
    for (const auto& [file, name] : {std::pair{&remote_files->config, kConfigFileName},
                                     std::pair{&remote_files->ignore, kIgnoreFileName}})
      if (*file)
        notes.push_back(fmt::format("the remote repository's {} is not applied (--remote-config applies it)", name));
  }
  return load_settings(args, std::nullopt, notes);
}

int run_remote_audit(const LowArgs& args, const std::string& url, const RemoteAuditOptions& options) {
  if (options.recurse_submodules) {
    // A remote repository's .gitmodules is written by whoever can push to it:
    // its URLs may name other hosts, or file:// paths on this machine.
    print_error("--recurse-submodules: the submodules of a remote repository are not followed");
    return kExitUsage;
  }
  // The user's own settings first: a usage error is one before any clone.
  std::optional<Settings> settings = load_settings(args, std::nullopt);
  if (!settings) return kExitUsage;
  // --ca-cert (a self-hosted CA) is trusted for the clone as for validation.
  auto target = open_remote_target(
      url, {options.cache_dir, remote::token_from_environment(), args.validate.ca_cert.value_or("")});
  const auto* error = std::get_if<remote::RemoteError>(&target);
  git_repository* repo = error ? nullptr : std::get<RemoteTarget>(target).repo.get();
  if (!error) settings = load_remote_settings(args, repo, options.remote_config);
  if (!settings) return kExitUsage;
  // --state: the same key a --repos list gives this URL, so the two share
  // records. A clone that failed has nothing to resume: the run is exit 3
  // and the file is left as it is.
  std::optional<StateRun> resume;
  if (!options.state_file.empty() && !error) {
    resume = prepare_state_run(options.state_file, repo, normalise_repository(url), *settings, false,
                               options.new_only);
    if (!resume) return kExitUsage;
  }
  git::AuditOptions audit_options{options.all_objects, false, settings->exclude};
  if (resume) {
    audit_options.known_tips = resume->repositories.front().resume_from;
    audit_options.walk = &resume->repositories.front().walk;
  }
  return run_scan(*settings, [&](const Scanner& scanner, ScanSink& sink) {
    if (error) {
      sink.add_issue({ScanIssue::Kind::incomplete, error->display_name, error->message});
      return;
    }
    try {
      git::run_audit(scanner, sink, repo, audit_options);
    } catch (const std::exception& e) {
      // Whatever was found so far is still reported; the run is incomplete.
      sink.add_issue({ScanIssue::Kind::incomplete, "", e.what()});
    }
  }, resume ? state_hooks(*resume) : RunHooks{});
}

}  // namespace sentryscan
