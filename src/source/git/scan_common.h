// Pieces shared by the three git sources (audit, range, staged): turning
// object problems into scan issues, exclusion globs, and scanning a changed
// blob on a worker while keeping only the lines the change adds.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/glob.h"
#include "scan/sink.h"
#include "source/git/blob_pool.h"
#include "source/git/changes.h"

namespace sentryscan::git {

// Missing or corrupt objects become `incomplete` issues naming the object
// (exit 3). A partial clone or a damaged pack can miss thousands of objects,
// so only the first ones are named and the rest counted in one summary issue.
class ProblemSink {
 public:
  explicit ProblemSink(ScanSink& sink, std::size_t named_limit = 50);
  void object_problem(const std::string& object, const std::string& message);
  // Adds the summary issue for problems beyond the limit.
  void flush();
  std::size_t count();

 private:
  ScanSink& sink_;
  std::size_t limit_;
  std::mutex mutex_;
  std::size_t count_ = 0;
};

// True when any --exclude / config / ignore-file glob matches the path.
std::function<bool(std::string_view)> make_excluded(const GlobSet& patterns);

// How the range and staged sources diff: the scan's size limit and excludes,
// objects that cannot be read reported to `problems`.
ChangeOptions change_options(const Scanner& scanner, ProblemSink& problems,
                             const GlobSet& exclude);

// Reads a blob on a worker and reports why it could not be scanned. Returns
// the object on success, nullptr otherwise (after counting or reporting it).
OdbObject read_for_scan(const Scanner& scanner, ScanSink& sink, ProblemSink& problems, BlobReader& reader, const git_oid& oid,
                        const std::string& path);

// Scans ChangedBlobs in parallel and keeps findings on added lines; for binary
// blobs, findings whose secret was already in an old version are dropped.
class ChangeScanner {
 public:
  struct Result {
    std::uint64_t order = 0;  // the producer's sequence (commit position)
    std::vector<Finding> findings;
  };

  ChangeScanner(const Scanner& scanner, ScanSink& sink, ProblemSink& problems, const std::string& repository_path, unsigned threads,
                SourceKind kind);
  void submit(std::uint64_t order, ChangedBlob change);
  // Waits for the workers; results in no particular order.
  std::vector<Result> finish();

 private:
  void work(unsigned worker, BlobReader& reader, BlobJob& job);

  const Scanner& scanner_;
  ScanSink& sink_;
  ProblemSink& problems_;
  SourceKind kind_;
  std::mutex mutex_;
  struct Pending {
    std::uint64_t order = 0;
    std::shared_ptr<const ChangedBlob> change;
  };
  std::vector<Pending> pending_;  // indexed by job tag, guarded by mutex_
  std::vector<Result> results_;
  BlobPool pool_;  // last: its threads stop before the members above go away
};

}  // namespace sentryscan::git
