#include "source/git/provenance.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>
#include <tuple>

namespace sentryscan::git {

std::string iso_utc(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

CommitMeta commit_meta(git_commit* commit) {
  CommitMeta meta;
  meta.id = to_hex(*git_commit_id(commit));
  if (const git_signature* author = git_commit_author(commit)) {
    meta.author = author->name ? author->name : "";
    meta.email = author->email ? author->email : "";
    meta.date = iso_utc(author->when.time);
  }
  if (const char* summary = git_commit_summary(commit)) meta.summary = summary;
  return meta;
}

namespace {

struct Node {
  git_oid oid{};
  git_oid tree{};
  std::int64_t time = 0;
  std::vector<std::uint32_t> parents;  // indices of parents present in the walk
  std::vector<std::uint32_t> children;
};

// The entry of `parent` called `name`. Most directories change little from
// a commit to its parent, so the entry at the same position is tried first:
// the tree store interns names, so one name is one pointer there (a name
// from libgit2 never matches by pointer and is looked up).
std::optional<TreeEntry> same_entry(const TreeEntries& parent, std::size_t position, std::string_view name) {
  if (position < parent.size()) {
    const TreeEntry candidate = parent[position];
    if (candidate.name.data() == name.data() && candidate.name.size() == name.size()) return candidate;
  }
  return parent.find(name);
}

// A target blob met at `path` in the commit at `job` of the walk order,
// where no parent had it there.
struct Introduction {
  std::uint32_t job;
  git_oid blob;
  std::string path;
};

struct Search {
  TreeReader trees;
  HoldsAny holds;
  const OidSet& targets;
  const std::function<bool(std::string_view)>& excluded;
  std::vector<Introduction>& found;  // in the order met
  std::uint32_t job = 0;             // the commit being compared

  // Null when unreadable: reported by the walk already.
  std::unique_ptr<TreeEntries> lookup(const git_oid& oid, std::uint32_t index = kNoIndex) const {
    auto tree = std::make_unique<TreeEntries>();
    if (trees.read(oid, *tree, index) < 0) return nullptr;
    return tree;
  }

  void introduce(const git_oid& blob, const std::string& path) { found.push_back({job, blob, path}); }

  // One directory being compared: the tree, the same directory in each
  // parent (null where a parent has none), and how far through it we are.
  struct Level {
    std::unique_ptr<TreeEntries> owned_tree;
    std::vector<std::unique_ptr<TreeEntries>> owned_parents;
    const TreeEntries* tree = nullptr;
    std::vector<const TreeEntries*> parents;
    std::string prefix;
    std::size_t next = 0;  // the entry to look at next
  };

  // Compares `tree` against the same directory in each parent and records the
  // target blobs that no parent had at the same path, depth first in entry
  // order. A loop over an explicit stack, not recursion: a hostile tree can
  // nest kMaxTreeDepth (4,096) levels, which at ~0.4 KB a frame came close
  // to the 2 MB a worker thread may get (and overflowed under ASan).
  // Not below kMaxTreeDepth: the walk reported that tree already.
  void compare(const TreeEntries& tree, const std::vector<const TreeEntries*>& parents, const std::string& prefix) {
    std::vector<Level> stack;
    stack.push_back(Level{nullptr, {}, &tree, parents, prefix, 0});
    std::vector<std::optional<TreeEntry>> same_name;
    while (!stack.empty()) {
      std::optional<Level> deeper = step(stack.back(), same_name, stack.size() - 1);
      if (deeper) {
        stack.push_back(std::move(*deeper));
      } else {
        stack.pop_back();
      }
    }
  }

  // Goes on through `level` until its end (nullopt) or a subtree to compare
  // next (returned; `level.next` is then the entry after it).
  std::optional<Level> step(Level& level, std::vector<std::optional<TreeEntry>>& same_name, std::size_t depth) {
    const TreeEntries& tree = *level.tree;
    const auto& parents = level.parents;
    same_name.assign(parents.size(), std::nullopt);
    while (level.next < tree.size()) {
      const std::size_t i = level.next++;
      const TreeEntry entry = tree[i];
      if (entry.mode == GIT_FILEMODE_COMMIT) continue;
      bool unchanged = false;
      for (std::size_t p = 0; p < parents.size(); ++p) {
        same_name[p] = parents[p] ? same_entry(*parents[p], i, entry.name) : std::nullopt;
        if (same_name[p] && git_oid_equal(same_name[p]->id, entry.id) && same_name[p]->mode == entry.mode)
          unchanged = true;
      }
      if (unchanged) continue;
      if (entry.mode != GIT_FILEMODE_TREE ? !targets.contains(*entry.id) : !holds.may_hold(*entry.id, entry.index))
        continue;
      std::string path = level.prefix.empty() ? std::string(entry.name) : level.prefix + "/" + std::string(entry.name);
      if (excluded && excluded(path)) continue;
      if (entry.mode != GIT_FILEMODE_TREE) {
        introduce(*entry.id, path);
        continue;
      }
      if (depth + 1 >= kMaxTreeDepth) continue;
      Level sub;
      sub.owned_tree = lookup(*entry.id, entry.index);
      if (!sub.owned_tree) continue;
      sub.tree = sub.owned_tree.get();
      for (const auto& other : same_name) {
        if (other && other->mode == GIT_FILEMODE_TREE) {
          sub.owned_parents.push_back(lookup(*other->id, other->index));
          sub.parents.push_back(sub.owned_parents.back().get());
        } else {
          sub.parents.push_back(nullptr);
        }
      }
      sub.prefix = std::move(path);
      return sub;
    }
    return std::nullopt;
  }
};

// Runs work(worker, repository) on `threads` threads: the first on this
// one with `repo`, the others each with a repository of their own, as
// libgit2 objects are not shared between threads (trees the store does not
// hold are read through it). A repository that cannot be opened again
// leaves its share to the others.
template <class Work>
void run_on_threads(git_repository* repo, std::size_t threads, Work&& work) {
  std::vector<std::thread> pool;
  std::vector<Repository> repos;
  for (std::size_t w = 1; w < threads; ++w) {
    try {
      repos.push_back(open_repository(repository_path(repo)));
    } catch (const GitError&) {
    }
  }
  std::exception_ptr error;
  std::mutex error_mutex;
  for (std::size_t w = 0; w < repos.size(); ++w)
    pool.emplace_back([&, w] {
      try {
        work(static_cast<unsigned>(w + 1), repos[w].get());
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    });
  try {
    work(0u, repo);
  } catch (...) {
    std::lock_guard lock(error_mutex);
    if (!error) error = std::current_exception();
  }
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace

std::map<git_oid, BlobOrigin, OidLess> find_origins(git_repository* repo, const std::vector<git_oid>& commits,
                                                     const std::vector<git_oid>& targets,
                                                     const std::function<bool(std::string_view)>& excluded,
                                                     const TreeStore* trees, unsigned threads) {
  std::map<git_oid, BlobOrigin, OidLess> origins;
  if (targets.empty()) return origins;
  OidSet target_set;
  for (const auto& oid : targets) target_set.insert(oid);

  // The commit graph, restricted to the walked commits.
  std::vector<Node> nodes;
  nodes.reserve(commits.size());
  std::vector<std::pair<git_oid, std::uint32_t>> index;
  std::vector<std::vector<git_oid>> parent_ids;
  for (const git_oid& oid : commits) {
    CommitHead head;
    if (read_commit_head(repo, trees, oid, head) < 0) continue;
    Node node;
    node.oid = oid;
    node.tree = head.tree;
    node.time = head.time;
    index.emplace_back(oid, static_cast<std::uint32_t>(nodes.size()));
    nodes.push_back(std::move(node));
    parent_ids.push_back(std::move(head.parents));
  }
  std::sort(index.begin(), index.end(), [](const auto& a, const auto& b) { return OidLess{}(a.first, b.first); });
  auto find_node = [&](const git_oid& oid) -> const std::pair<git_oid, std::uint32_t>* {
    auto it = std::lower_bound(index.begin(), index.end(), oid,
                               [](const auto& entry, const git_oid& value) { return OidLess{}(entry.first, value); });
    return it != index.end() && git_oid_equal(&it->first, &oid) ? &*it : nullptr;
  };
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    for (const git_oid& parent : parent_ids[i]) {
      if (const auto* found = find_node(parent)) {
        nodes[i].parents.push_back(found->second);
        nodes[found->second].children.push_back(i);
      }
    }
  }
  parent_ids.clear();

  // Parents before children; among commits ready at the same time, the
  // older first. A commit with a parent's tree introduces nothing.
  using Key = std::tuple<std::int64_t, std::uint32_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<>> ready;
  std::vector<std::uint32_t> waiting(nodes.size());
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    waiting[i] = static_cast<std::uint32_t>(nodes[i].parents.size());
    if (waiting[i] == 0) ready.emplace(nodes[i].time, i);
  }
  std::vector<std::uint32_t> order;  // the commits to compare, in walk order
  while (!ready.empty()) {
    const std::uint32_t i = std::get<1>(ready.top());
    ready.pop();
    for (std::uint32_t child : nodes[i].children)
      if (--waiting[child] == 0) ready.emplace(nodes[child].time, child);
    bool same_as_parent = false;
    for (std::uint32_t p : nodes[i].parents)
      if (git_oid_equal(&nodes[p].tree, &nodes[i].tree)) same_as_parent = true;
    if (!same_as_parent) order.push_back(i);
  }

  // Each commit is compared with its parents on its own, so the comparisons
  // run on every thread (0.55 s on one for sentry-javascript's 55,659
  // commits); the walk order is put back when the results are merged.
  // No more threads than batches: each opens a repository of its own.
  constexpr std::uint32_t kBatch = 16;  // commits taken at a time
  const std::size_t batches = (order.size() + kBatch - 1) / kBatch;
  std::vector<std::uint8_t> readable(order.size(), 0);
  std::vector<std::vector<Introduction>> found(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(batches, 1)));
  std::atomic<std::uint32_t> next{0};
  auto compare_commits = [&](unsigned worker, git_repository* worker_repo) {
    Search search{TreeReader(worker_repo, trees), HoldsAny(trees, targets), target_set, excluded, found[worker]};
    for (;;) {
      const std::uint32_t begin = next.fetch_add(kBatch);
      if (begin >= order.size()) return;
      const auto end = std::min<std::size_t>(begin + kBatch, order.size());
      for (std::uint32_t job = begin; job < end; ++job) {
        const Node& node = nodes[order[job]];
        const auto tree = search.lookup(node.tree);
        if (!tree) continue;
        readable[job] = 1;
        std::vector<std::unique_ptr<TreeEntries>> owned;
        std::vector<const TreeEntries*> parent_trees;
        for (std::uint32_t p : node.parents) {
          owned.push_back(search.lookup(nodes[p].tree));
          parent_trees.push_back(owned.back().get());
        }
        search.job = job;
        search.compare(*tree, parent_trees, "");
      }
    }
  };
  run_on_threads(repo, found.size(), compare_commits);

  // Merged in walk order: a commit's introductions all come from one thread,
  // in the order it met them.
  std::vector<Introduction> all;
  for (auto& part : found)
    for (auto& introduction : part) all.push_back(std::move(introduction));
  std::stable_sort(all.begin(), all.end(), [](const Introduction& a, const Introduction& b) { return a.job < b.job; });
  std::vector<std::uint64_t> rank(order.size());  // commits with a readable tree up to this one
  for (std::size_t job = 0, count = 0; job < order.size(); ++job) rank[job] = count += readable[job];
  for (Introduction& introduction : all) {
    const git_oid& commit = nodes[order[introduction.job]].oid;
    BlobOrigin& origin = origins[introduction.blob];
    if (!origin.found) {
      origin.found = true;
      origin.commit = commit;
      origin.path = introduction.path;
      origin.rank = rank[introduction.job];
    }
    ++origin.introductions;
    origin.all.emplace_back(commit, std::move(introduction.path));
  }
  return origins;
}

}  // namespace sentryscan::git
