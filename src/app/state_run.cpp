#include "app/state_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "app/report_file.h"
#include "core/diagnostics.h"
#include "core/input_error.h"
#include "source/git/resume.h"

namespace sentryscan {
namespace {

std::optional<git_oid> parse_oid(const std::string& hex) {
  git_oid oid;
  if (git_oid_fromstrn(&oid, hex.data(), hex.size()) < 0) return std::nullopt;
  return oid;
}

bool incomplete(const Report& report) {
  return std::any_of(report.issues.begin(), report.issues.end(),
                     [](const ScanIssue& issue) { return issue.kind == ScanIssue::Kind::incomplete; });
}

}  // namespace

std::optional<StateRun> open_state_run(const std::filesystem::path& file, const Settings& settings,
                                       bool recurse_submodules, bool new_only) {
  StateRun run;
  run.file = file;
  run.new_only = new_only;
  run.digest = settings_digest(settings, recurse_submodules);
  try {
    run.state = read_state(file);
  } catch (const InputError& e) {
    print_error("--state: {}", e.what());
    return std::nullopt;
  }
  if (auto problem = report_file_problem(file.string())) {
    print_error("--state: cannot write {}: {}", file.string(), *problem);
    return std::nullopt;
  }
  return run;
}

RepositoryResume& resume_repository(StateRun& run, git_repository* repo, const std::string& key,
                                    const std::string& name) {
  // The state is only read until `finished`, and no two lanes share a
  // repository: the lock only guards the deque and stderr's line order.
  std::lock_guard lock(*run.mutex);
  RepositoryResume& mine = run.repositories.emplace_back();
  mine.key = key;
  mine.name = name;
  const std::string file = run.file.string();
  const auto found = run.state.repositories.find(key);
  if (found == run.state.repositories.end()) {
    mine.full_reason = "no earlier audit of this repository is recorded in " + file;
  } else if (found->second.settings_digest != run.digest) {
    mine.full_reason = fmt::format(
        "the rules or settings that decide what is found changed since the audit of {} recorded in {}",
        found->second.audited_at, file);
  } else {
    std::vector<git::RecordedTip> recorded;
    for (const auto& tip : found->second.tips)
      if (auto oid = parse_oid(tip.oid)) recorded.push_back({tip.ref, *oid});
    if (auto why = git::why_not_resume(repo, recorded)) {
      mine.full_reason = *why;
    } else {
      for (const auto& tip : recorded) mine.resume_from.push_back(tip.oid);
      mine.previous_audit = found->second.audited_at;
    }
  }
  if (mine.resume_from.empty() && mine.full_reason.empty())
    mine.full_reason = "the earlier audit recorded no commits";  // an empty repository then
  const std::string who = name.empty() ? std::string() : name + ": ";
  if (!mine.full_reason.empty())
    print_message("--state: {}auditing the whole history: {}", who, mine.full_reason);
  else
    print_message("--state: {}incremental audit: only what is new since the audit of {} recorded in {}", who,
                  mine.previous_audit, file);
  return mine;
}

std::optional<StateRun> prepare_state_run(const std::filesystem::path& file, git_repository* repo,
                                          const std::string& repository, const Settings& settings,
                                          bool recurse_submodules, bool new_only) {
  std::optional<StateRun> run = open_state_run(file, settings, recurse_submodules, new_only);
  if (run) resume_repository(*run, repo, repository, "");
  return run;
}

namespace {

// The repository a finding belongs to: by its source.repository in a
// multi-repository run, the only one otherwise; null for a repository that
// was never opened (its findings, if any, are not recorded). Built once the
// scan is over, when no lane adds repositories any more.
class Owners {
 public:
  explicit Owners(StateRun& run) : run_(run) {
    for (auto& repository : run.repositories) by_name_.emplace(repository.name, &repository);
  }
  RepositoryResume* operator()(const Finding& finding) const {
    if (run_.listed == 0) return run_.repositories.empty() ? nullptr : &run_.repositories.front();
    const auto found = by_name_.find(finding.source.repository);
    return found == by_name_.end() ? nullptr : found->second;
  }

 private:
  StateRun& run_;
  std::map<std::string, RepositoryResume*> by_name_;
};

std::string commits_text(std::uint64_t commits) {
  return commits == 1 ? std::string("1 new commit") : fmt::format("{} new commits", commits);
}

std::string summary_of(const StateRun& run) {
  if (run.listed == 0) {
    const RepositoryResume& only = run.repositories.front();
    if (!only.full_reason.empty()) return fmt::format("full audit (--state: {})", only.full_reason);
    return fmt::format("INCREMENTAL: only what is new since the audit of {} recorded in {} was scanned ({})",
                       only.previous_audit, run.file.string(), commits_text(only.walk.commits));
  }
  std::size_t resumed = 0;
  std::uint64_t commits = 0;
  for (const auto& repository : run.repositories) {
    if (repository.resume_from.empty()) continue;
    ++resumed;
    commits += repository.walk.commits;
  }
  if (resumed == 0)
    return fmt::format("full audit (--state: none of {} repositories resumed from {}; reasons on stderr)",
                       run.listed, run.file.string());
  return fmt::format("INCREMENTAL: {} of {} repositories resumed from {} ({} in them); the others audited whole",
                     resumed, run.listed, run.file.string(), commits_text(commits));
}

}  // namespace

RunHooks state_hooks(StateRun& run) {
  RunHooks hooks;
  // What this run saw joins what earlier ones saw (kept across full
  // rescans, so --new-only still means "new" after a rules change); per
  // repository, so one secret in two repositories is two secrets.
  using Seen = std::set<std::pair<std::string, std::string>>;
  auto seen_now = std::make_shared<std::map<const RepositoryResume*, Seen>>();
  hooks.found = [&run, seen_now](const std::vector<Finding>& findings) {
    const Owners owner(run);
    for (const Finding& f : findings)
      if (const RepositoryResume* repository = owner(f)) (*seen_now)[repository].emplace(f.rule_id, f.fingerprint);
  };
  if (run.new_only)
    hooks.drop_seen = [&run](std::vector<Finding>& findings) -> std::uint64_t {
      const Owners owner(run);
      const auto end = std::remove_if(findings.begin(), findings.end(), [&](const Finding& f) {
        const RepositoryResume* repository = owner(f);
        if (!repository) return false;
        const auto before = run.state.repositories.find(repository->key);
        return before != run.state.repositories.end() && before->second.seen.contains({f.rule_id, f.fingerprint});
      });
      const auto dropped = static_cast<std::uint64_t>(findings.end() - end);
      findings.erase(end, findings.end());
      return dropped;
    };
  hooks.summary_note = [&run] { return summary_of(run); };
  hooks.finished = [&run, seen_now](const Report& report, int status) {
    if (run.listed == 0 && !run.repositories.empty()) run.repositories.front().complete = !incomplete(report);
    // An incomplete audit must not advance its repository's tips: the next
    // run would skip what this one never scanned. Nor any, when the report
    // was not written.
    std::size_t kept = 0;
    for (const auto& repository : run.repositories) {
      if (status == kExitUsage || !repository.complete) {
        ++kept;
        continue;
      }
      RepositoryState& record = run.state.repositories[repository.key];
      record.audited_at = utc_now();
      record.settings_digest = run.digest;
      record.tips.clear();
      for (const auto& [ref, oid] : repository.walk.tips) record.tips.push_back({ref, git::to_hex(oid)});
      const auto seen = seen_now->find(&repository);
      if (seen != seen_now->end()) record.seen.insert(seen->second.begin(), seen->second.end());
    }
    if (status == kExitUsage || kept == run.repositories.size()) {
      print_message("--state: {} not updated: the audit was not complete", run.file.string());
      return status;
    }
    // Repositories that could not even be opened keep their records too.
    kept += run.listed - std::min(run.listed, run.repositories.size());
    if (kept > 0)
      print_message("--state: {} of {} repositories not updated in {}: their audit was not complete", kept,
                    run.listed, run.file.string());
    if (auto problem = write_state(run.file, run.state)) {
      print_error("--state: {}", *problem);
      return kExitUsage;
    }
    return status;
  };
  return hooks;
}

}  // namespace sentryscan
