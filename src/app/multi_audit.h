// A history audit of many repositories in one run (`sentryscan git A B…`,
// `--repos FILE`, `--shard I/N`): one summary, one report, every finding
// naming its repository.
//
//   std::vector<RepositoryOutcome> outcomes;
//   run_scan(settings, [&](const Scanner& scanner, ScanSink& sink) {
//     outcomes = audit_repositories(scanner, sink, entries, options);
//   });
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/repository_list.h"
#include "scan/sink.h"
#include "source/git/audit/audit.h"
#include "source/remote/materialize.h"

namespace sentryscan {

struct RepositoryOutcome {
  std::string name;  // RepositoryEntry::display
  bool complete = true;
};

// Needs a live git::Session. Repositories are audited side by side, sharing
// the scanner's worker count: at most scanner.workers() threads scan at once,
// and one repository's history walk (one thread) overlaps the others' scans.
// A repository that cannot be opened, or whose audit hits a problem, is an
// incomplete issue naming it; the others go on.
// `opened`, when set, is called from the repository's lane once it is open
// and before its audit, and may adjust its options (--state resumes there).
using OnOpened = std::function<void(const RepositoryEntry&, git_repository*, git::AuditOptions&)>;
std::vector<RepositoryOutcome> audit_repositories(const Scanner& scanner, ScanSink& sink,
                                                  const std::vector<RepositoryEntry>& entries,
                                                  const git::AuditOptions& options,
                                                  const remote::RemoteOptions& remote_options,
                                                  const OnOpened& opened = {});

}  // namespace sentryscan
