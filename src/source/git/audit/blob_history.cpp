#include "source/git/audit/blob_history.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace sentryscan::git {
namespace {

// The order refs are looked at (and listed) in; see kMaxRefTips.
int ref_rank(std::string_view name) {
  if (name == "HEAD") return 0;
  if (name.starts_with("refs/heads/")) return 1;
  if (name.starts_with("refs/tags/")) return 2;
  if (name.starts_with("refs/remotes/")) return 3;
  return 4;
}

struct Tip {
  std::string name;
  git_oid target{};
};

// Direct refs only: a symbolic ref (refs/remotes/origin/HEAD) repeats another.
std::vector<Tip> list_tips(git_repository* repo) {
  std::vector<Tip> tips;
  git_oid head;
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0) tips.push_back({"HEAD", head});
  git_reference_iterator* raw_iterator = nullptr;
  if (git_reference_iterator_new(&raw_iterator, repo) < 0) return tips;
  ReferenceIterator iterator(raw_iterator);
  git_reference* raw = nullptr;
  while (git_reference_next(&raw, iterator.get()) == 0) {
    Reference ref(raw);
    if (git_reference_type(ref.get()) != GIT_REFERENCE_DIRECT) continue;
    if (const git_oid* target = git_reference_target(ref.get())) tips.push_back({git_reference_name(ref.get()), *target});
  }
  std::stable_sort(tips.begin(), tips.end(), [](const Tip& a, const Tip& b) {
    return std::make_tuple(ref_rank(a.name), std::string_view(a.name)) <
           std::make_tuple(ref_rank(b.name), std::string_view(b.name));
  });
  return tips;
}

// Which targets a tree holds, each subtree read once for all tips (tags and
// branches share nearly all of their trees).
class TreeSearch {
 public:
  TreeSearch(git_repository* repo, const TreeStore* store, const std::vector<git_oid>& targets)
      : trees_(repo, store), holds_(store, targets) {
    for (std::uint32_t i = 0; i < targets.size(); ++i) index_.emplace(targets[i], i);
  }

  std::optional<std::uint32_t> target(const git_oid& oid) const {
    const auto it = index_.find(oid);
    return it == index_.end() ? std::nullopt : std::optional<std::uint32_t>(it->second);
  }

  // Indices of the targets under `tree_oid`, sorted.
  // A tree nested past kMaxTreeDepth, or holding itself, counts as holding none.
  // `index`: the store's number for the tree when known.
  const std::vector<std::uint32_t>& holdings(const git_oid& tree_oid, std::uint32_t index = kNoIndex,
                                             unsigned depth = 0) {
    static const std::vector<std::uint32_t> kNone;
    if (depth >= kMaxTreeDepth || !holds_.may_hold(tree_oid, index)) return kNone;
    if (const auto it = memo_.find(tree_oid); it != memo_.end()) return it->second;
    memo_.emplace(tree_oid, std::vector<std::uint32_t>{});  // while below: empty
    std::vector<std::uint32_t> found;
    TreeEntries tree;
    if (trees_.read(tree_oid, tree, index) == 0) {
      for (std::size_t i = 0; i < tree.size(); ++i) {
        const TreeEntry entry = tree[i];
        switch (entry.type) {
          case GIT_OBJECT_BLOB:
            if (auto hit = target(*entry.id)) found.push_back(*hit);
            break;
          case GIT_OBJECT_TREE: {
            const auto& below = holdings(*entry.id, entry.index, depth + 1);
            found.insert(found.end(), below.begin(), below.end());
            break;
          }
          default: break;  // submodule commits
        }
      }
      std::sort(found.begin(), found.end());
      found.erase(std::unique(found.begin(), found.end()), found.end());
    }
    std::vector<std::uint32_t>& kept = memo_[tree_oid];  // element references survive rehashing
    kept = std::move(found);
    return kept;
  }

 private:
  TreeReader trees_;
  HoldsAny holds_;
  std::unordered_map<git_oid, std::uint32_t, OidHash, OidEqual> index_;
  std::unordered_map<git_oid, std::vector<std::uint32_t>, OidHash, OidEqual> memo_;
};

// The targets a tip holds: its tree's, or the blob a tag names.
std::vector<std::uint32_t> tip_holdings(git_repository* repo, const TreeStore* store, TreeSearch& search,
                                        const git_oid& target) {
  // Most tips are commits the tree store parsed (5,072 refs on sentry-python).
  if (const std::optional<StoredCommit> commit = store ? store->commit(target) : std::nullopt)
    return search.holdings(*commit->tree);
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, repo, &target, GIT_OBJECT_ANY) < 0) return {};
  Object object(raw);
  git_object* peeled_raw = nullptr;
  if (git_object_peel(&peeled_raw, object.get(), GIT_OBJECT_TREE) == 0) {
    Object tree(peeled_raw);
    return search.holdings(*git_object_id(tree.get()));
  }
  if (git_object_peel(&peeled_raw, object.get(), GIT_OBJECT_BLOB) == 0) {
    Object blob(peeled_raw);
    if (auto hit = search.target(*git_object_id(blob.get()))) return {*hit};
  }
  return {};
}

}  // namespace

TipHolders find_tip_holders(git_repository* repo, const std::vector<git_oid>& targets, const TreeStore* trees) {
  TipHolders holders;
  if (targets.empty()) return holders;
  const std::vector<Tip> tips = list_tips(repo);
  holders.tips_total = tips.size();
  TreeSearch search(repo, trees, targets);
  for (const Tip& tip : tips) {
    if (holders.tips_checked == kMaxRefTips) break;
    ++holders.tips_checked;
    for (std::uint32_t index : tip_holdings(repo, trees, search, tip.target)) {
      holders.refs[targets[index]].push_back(tip.name);
      if (tip.name == "HEAD") holders.in_head.insert(targets[index]);
    }
  }
  return holders;
}

BlobHistories blob_histories(git_repository* repo, const std::map<git_oid, BlobOrigin, OidLess>& origins,
                             const std::vector<git_oid>& targets, const std::string& prefix,
                             const TreeStore* trees) {
  BlobHistories histories;
  if (targets.empty()) return histories;
  const TipHolders holders = find_tip_holders(repo, targets, trees);
  const std::string ref_prefix = prefix.empty() ? std::string() : prefix.substr(0, prefix.size() - 1) + ":";
  std::map<git_oid, CommitMeta, OidLess> metas;
  auto meta_of = [&](const git_oid& oid) -> const CommitMeta* {
    auto it = metas.find(oid);
    if (it == metas.end()) {
      git_commit* raw = nullptr;
      if (git_commit_lookup(&raw, repo, &oid) < 0) return nullptr;
      Commit commit(raw);
      it = metas.emplace(oid, commit_meta(commit.get())).first;
    }
    return &it->second;
  };
  for (const git_oid& blob : targets) {
    auto history = std::make_shared<BlobHistory>();
    if (const auto origin = origins.find(blob); origin != origins.end()) {
      history->first_rank = origin->second.rank;
      for (const auto& [commit, path] : origin->second.all) {
        BlobIntroduction introduction;
        introduction.path = prefix + path;
        if (const CommitMeta* meta = meta_of(commit)) {
          introduction.commit = meta->id;
          introduction.author = meta->author;
          introduction.email = meta->email;
          introduction.date = meta->date;
          introduction.message = meta->summary;
        }
        history->introductions.push_back(std::move(introduction));
      }
    }
    if (const auto refs = holders.refs.find(blob); refs != holders.refs.end())
      for (const auto& name : refs->second) history->ref_tips.push_back(ref_prefix + name);
    history->in_head = holders.in_head.contains(blob);
    history->tips_checked = holders.tips_checked;
    history->tips_total = holders.tips_total;
    histories.emplace(blob, std::move(history));
  }
  return histories;
}

}  // namespace sentryscan::git
