#include "app/multi_audit.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/open_entry.h"

namespace sentryscan {
namespace {

// Forwards to the run's sink, naming the repository on every finding and
// issue, and remembers whether the repository's audit was incomplete.
class RepositorySink : public ScanSink {
 public:
  RepositorySink(ScanSink& sink, std::string name) : sink_(sink), name_(std::move(name)) {}

  void add_findings(std::vector<Finding> findings) override {
    for (auto& finding : findings) finding.source.repository = name_;
    sink_.add_findings(std::move(findings));
  }
  void add_issue(ScanIssue issue) override {
    if (issue.kind == ScanIssue::Kind::incomplete) incomplete_ = true;
    issue.where = issue.where.empty() ? name_ : name_ + ": " + issue.where;
    sink_.add_issue(std::move(issue));
  }
  void count_scanned(std::uint64_t bytes) override { sink_.count_scanned(bytes); }
  void count_skipped() override { sink_.count_skipped(); }
  void set_item_noun(std::string noun) override { sink_.set_item_noun(std::move(noun)); }

  bool incomplete() const { return incomplete_; }

 private:
  ScanSink& sink_;
  const std::string name_;
  std::atomic<bool> incomplete_{false};
};

// Worker threads as a budget shared by the repositories being audited.
class ThreadBudget {
 public:
  explicit ThreadBudget(unsigned threads) : free_(threads) {}
  // Waits for one free thread, then takes up to `wanted`.
  unsigned take(unsigned wanted) {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return free_ > 0; });
    const unsigned taken = std::min(std::max(1u, wanted), free_);
    free_ -= taken;
    return taken;
  }
  void give_back(unsigned threads) {
    {
      std::lock_guard lock(mutex_);
      free_ += threads;
    }
    freed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  unsigned free_;
};

// At most this many repositories at once: each holds its pack windows and up
// to 64 MiB of large blobs being rebuilt (source/git/blob_pool.h), so memory
// grows with it; four is enough to hide one repository's history walk
// behind the others' scans.
constexpr unsigned kMaxRepositoriesAtOnce = 4;

void audit_one(const Scanner& scanner, ScanSink& run_sink, const RepositoryEntry& entry,
               const git::AuditOptions& options, const remote::RemoteOptions& remote_options, unsigned threads,
               const OnOpened& on_opened, RepositoryOutcome& outcome) {
  RepositorySink sink(run_sink, entry.display);
  OpenedEntry opened = open_entry(entry, remote_options);
  if (!opened.repository) {
    sink.add_issue({ScanIssue::Kind::incomplete, "", "cannot open the repository: " + opened.error + "; not scanned"});
  } else {
    ScanLimits limits = scanner.limits();
    limits.threads = threads;
    const Scanner own(scanner.matcher(), limits);
    try {
      git::AuditOptions own_options = options;
      if (entry.remote && own_options.recurse_submodules) {
        // A remote repository's submodule URLs are attacker-written (other
        // hosts, file:// paths here): never followed, and said.
        own_options.recurse_submodules = false;
        sink.add_issue({ScanIssue::Kind::warning, "", "submodules of a remote repository are not followed"});
      }
      if (on_opened) on_opened(entry, opened.repository->get(), own_options);
      git::run_audit(own, sink, opened.repository->get(), own_options);
    } catch (const std::exception& e) {
      // Whatever was found so far is still reported; this repository is incomplete.
      sink.add_issue({ScanIssue::Kind::incomplete, "", e.what()});
    }
  }
  outcome.complete = !sink.incomplete();
}

}  // namespace

std::vector<RepositoryOutcome> audit_repositories(const Scanner& scanner, ScanSink& sink,
                                                  const std::vector<RepositoryEntry>& entries,
                                                  const git::AuditOptions& options,
                                                  const remote::RemoteOptions& remote_options,
                                                  const OnOpened& opened) {
  std::vector<RepositoryOutcome> outcomes(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) outcomes[i].name = entries[i].display;
  sink.set_item_noun("blobs");
  const unsigned threads = std::max(1u, scanner.workers());
  const unsigned lanes = static_cast<unsigned>(
      std::min<std::size_t>({entries.size(), std::size_t{threads}, std::size_t{kMaxRepositoriesAtOnce}}));
  ThreadBudget budget(threads);
  std::atomic<std::size_t> next{0};
  auto lane = [&] {
    for (std::size_t i = next++; i < entries.size(); i = next++) {
      // An even share of the threads among the repositories still to come;
      // the last ones get every thread the others have given back.
      const std::size_t remaining = entries.size() - i;
      const unsigned share = threads / static_cast<unsigned>(std::min<std::size_t>(remaining, lanes));
      const unsigned taken = budget.take(share);
      try {
        audit_one(scanner, sink, entries[i], options, remote_options, taken, opened, outcomes[i]);
      } catch (const std::exception& e) {
        // Not even the repository could be set up (out of memory, no thread):
        // it is incomplete, the others go on.
        sink.add_issue({ScanIssue::Kind::incomplete, entries[i].display, e.what()});
        outcomes[i].complete = false;
      }
      budget.give_back(taken);
    }
  };
  std::vector<std::thread> running;
  for (unsigned i = 1; i < lanes; ++i) running.emplace_back(lane);
  lane();
  for (auto& thread : running) thread.join();
  return outcomes;
}

}  // namespace sentryscan
