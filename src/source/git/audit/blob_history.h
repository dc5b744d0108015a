// Which ref tips still hold the blobs an audit found secrets in, for the
// grouped ("one entry per secret") view. Only run when there are findings.
//
//   TipHolders holders = find_tip_holders(repo, targets);
//   holders.refs[blob]  // names of the refs whose tip tree holds it ("HEAD" first)
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/finding.h"
#include "source/git/handle.h"
#include "source/git/provenance.h"
#include "source/git/tree_store.h"

namespace sentryscan::git {

// At most this many ref tips are looked at: HEAD, then local branches, tags,
// remote-tracking branches, then any other refs (refs/pull/*, notes, stash),
// each group in name order. A GitHub mirror can carry tens of thousands of
// refs/pull/* (sentry-javascript: 12,671 of its 14,088 refs); each tip costs
// a walk of the trees it does not share with tips already seen.
inline constexpr std::size_t kMaxRefTips = 2000;

struct TipHolders {
  std::map<git_oid, std::vector<std::string>, OidLess> refs;  // blob -> refs holding it, in the order above
  OidSet in_head;  // blobs in HEAD's tree
  std::uint64_t tips_checked = 0;
  std::uint64_t tips_total = 0;
};

// Looks for `targets` anywhere in each tip's tree (whatever the path, excluded
// or not: the secret is there either way). Tags are peeled; a tag that names a
// blob holds that blob. Unreadable objects are skipped (the audit reports them).
// Trees are read from `trees` first when it is not null.
TipHolders find_tip_holders(git_repository* repo, const std::vector<git_oid>& targets,
                            const TreeStore* trees = nullptr);

using BlobHistories = std::map<git_oid, std::shared_ptr<const BlobHistory>, OidLess>;

// Each target's history: its introductions from `origins` (find_origins) with
// their commits' metadata, and the tips holding it. `prefix` is a submodule's
// path ("" or "libs/sub/"): it goes before paths, and before ref names as
// "libs/sub:refs/heads/main".
BlobHistories blob_histories(git_repository* repo, const std::map<git_oid, BlobOrigin, OidLess>& origins,
                             const std::vector<git_oid>& targets, const std::string& prefix,
                             const TreeStore* trees = nullptr);

}  // namespace sentryscan::git
