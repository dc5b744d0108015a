// `sentryscan git --state FILE [--new-only]`: reads the state, decides for
// each repository whether its audit resumes from the tips recorded there or
// starts over (and says why), and hands run_scan() the hooks that filter seen
// findings and record, once at the end, every repository whose audit was complete.
//
// One repository:
//   std::optional<StateRun> run = prepare_state_run(file, repo, git::repository_identity(repo),
//                                                   settings, recurse, new_only);  // nullopt: exit 2
//   const RepositoryResume& mine = run->repositories.front();
//   options.known_tips = mine.resume_from;  options.walk = &mine.walk;
//   int status = run_scan(settings, source, state_hooks(*run));
// Many (app/multi_run.cpp): open_state_run() once, then from each audit lane
//   RepositoryResume& r = resume_repository(*run, repo, key, display);  // thread-safe
// and set r.complete from the lane's outcome before the hooks' `finished`.
#pragma once

#include <cstddef>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/audit_state.h"
#include "app/run_scan.h"
#include "source/git/audit/audit.h"
#include "source/git/handle.h"

namespace sentryscan {

// One repository of a state run.
struct RepositoryResume {
  std::string key;   // the record's key
  std::string name;  // its findings' source.repository (multi-repository runs); empty otherwise
  std::vector<git_oid> resume_from;  // empty: a full audit
  std::string previous_audit;        // when resuming: the recorded audit's time
  std::string full_reason;           // when not resuming: why
  git::AuditWalk walk;               // filled by the audit
  bool complete = false;             // its audit finished without an incomplete issue
};

struct StateRun {
  std::filesystem::path file;
  AuditState state;    // as read
  std::string digest;  // of this run's settings
  bool new_only = false;
  std::size_t listed = 0;  // multi-repository runs: repositories in this run (0: one-repository run)
  std::deque<RepositoryResume> repositories;  // a deque: lanes keep references while others are added
  std::shared_ptr<std::mutex> mutex = std::make_shared<std::mutex>();
};

// Prints the problem and returns nullopt (exit 2) for a state file that
// cannot be read, is damaged or has another version, or a place it cannot be
// written to.
std::optional<StateRun> open_state_run(const std::filesystem::path& file, const Settings& settings,
                                       bool recurse_submodules, bool new_only);

// Decides whether `repo`'s audit resumes and says so on stderr (naming
// `name` when there is one). Safe to call from several threads at once.
RepositoryResume& resume_repository(StateRun& run, git_repository* repo, const std::string& key,
                                    const std::string& name);

// open_state_run() and resume_repository() for a one-repository run.
std::optional<StateRun> prepare_state_run(const std::filesystem::path& file, git_repository* repo,
                                          const std::string& repository, const Settings& settings,
                                          bool recurse_submodules, bool new_only);

// The hooks reference `run`, which must outlive run_scan(). For a
// one-repository run `finished` takes completeness from the report; a
// multi-repository run sets each RepositoryResume::complete before it.
RunHooks state_hooks(StateRun& run);

}  // namespace sentryscan
