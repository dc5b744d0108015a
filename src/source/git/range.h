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
    new_branch,    // base is all zeros or equals head: commits not on any remote-tracking branch
    base_missing,  // base not in the repository (shallow clone): nothing can be checked
  };
  Kind kind = Kind::range;
  git_oid base{};
  git_oid head{};
  std::string message;  // what the user is told for new_branch / base_missing
};

// Throws RangeError when HEAD does not name a commit.
RangePlan plan_range(git_repository* repo, const RangeSpec& spec);

// The commits the plan covers, oldest first (parents before children). For
// new_branch, falls back to HEAD alone when every commit is already on a
// remote-tracking branch. Throws GitError when the history cannot be walked.
std::vector<git_oid> range_commits(git_repository* repo, const RangePlan& plan, bool& fell_back_to_head);

// Needs a live git::Session. (git_range_scan.cpp)
void run_range(const Scanner& scanner, ScanSink& sink, git_repository* repo, const RangePlan& plan,
               const GlobSet& exclude);

}  // namespace sentryscan::git
