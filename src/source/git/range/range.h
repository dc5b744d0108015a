// The PR gate: `sentryscan git --range BASE..HEAD` / `--since REV` scans only
// the lines that the commits of the range add, naming the commit that added them.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/glob.h"
#include "scan/sink.h"
#include "source/git/handle.h"

namespace sentryscan::git {

struct RangeSpec {
  std::string base;
  std::string head = "HEAD";
  bool merge_base = false;  // BASE...HEAD: from the merge base of the two
};

// The advice given whenever missing history stops a check.
extern const char* const kFetchHistoryHint;

// "BASE..HEAD", "BASE...HEAD", "BASE.." (HEAD implied). nullopt when malformed.
std::optional<RangeSpec> parse_range(std::string_view text);

// HEAD of the range cannot be resolved: a usage error (exit 2), nothing scanned.
class RangeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RangePlan {
  enum class Kind {
    range,         // commits reachable from head, not from base
    new_branch,    // base is all zeros, equals head, or is a full id gone from a complete repository
                   // (force-push): commits not on any remote-tracking branch
    base_missing,  // base not in the repository (shallow clone): nothing can be checked
    head_missing,  // head is a full id that was never fetched: nothing can be checked
  };
  Kind kind = Kind::range;
  git_oid base{};
  git_oid head{};
  std::string message;  // what the user is told for new_branch / base_missing / head_missing
};

// A side given as a full object id that is not in the repository is missing
// history: for BASE, a shallow clone cannot check the range (base_missing),
// while in a complete repository no fetch can bring the commit back, as after
// a force-push, so the range is scanned as a new branch and the user told why;
// for HEAD, the commit was never fetched (pull_request_target checks out the
// base), head_missing. Any other revision that names nothing, or names a
// non-commit, is a mistake: RangeError.
RangePlan plan_range(git_repository* repo, const RangeSpec& spec);

// The commits the plan covers, oldest first (parents before children). For
// new_branch, falls back to HEAD alone when every commit is already on a
// remote-tracking branch. Throws GitError when the history cannot be walked.
std::vector<git_oid> range_commits(git_repository* repo, const RangePlan& plan, bool& fell_back_to_head);

// Needs a live git::Session. (range_scan.cpp)
void run_range(const Scanner& scanner, ScanSink& sink, git_repository* repo, const RangePlan& plan,
               const GlobSet& exclude);

}  // namespace sentryscan::git
