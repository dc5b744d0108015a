#include "source/git/provenance.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <queue>
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

struct Search {
  git_repository* repo;
  const OidSet& targets;
  const std::function<bool(std::string_view)>& excluded;
  std::map<git_oid, BlobOrigin, OidLess>& origins;
  const git_oid* commit = nullptr;
  std::uint64_t rank = 0;  // of `commit` in the walk

  Tree lookup(const git_oid& oid) {
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, repo, &oid) < 0) return nullptr;  // reported by the walk already
    return Tree(raw);
  }

  void introduce(const git_oid& blob, const std::string& path) {
    BlobOrigin& origin = origins[blob];
    if (!origin.found) {
      origin.found = true;
      origin.commit = *commit;
      origin.path = path;
      origin.rank = rank;
    }
    ++origin.introductions;
    origin.all.emplace_back(*commit, path);
  }

  // Compares `tree` against the same directory in each parent and records the
  // target blobs that no parent had at the same path.
  void compare(git_tree* tree, const std::vector<git_tree*>& parents, const std::string& prefix) {
    const std::size_t count = git_tree_entrycount(tree);
    for (std::size_t i = 0; i < count; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
      const git_filemode_t mode = git_tree_entry_filemode(entry);
      if (mode == GIT_FILEMODE_COMMIT) continue;
      const char* name = git_tree_entry_name(entry);
      const git_oid& id = *git_tree_entry_id(entry);
      bool unchanged = false;
      std::vector<const git_tree_entry*> same_name;
      same_name.reserve(parents.size());
      for (git_tree* parent : parents) {
        const git_tree_entry* other = parent ? git_tree_entry_byname(parent, name) : nullptr;
        same_name.push_back(other);
        if (other && git_oid_equal(git_tree_entry_id(other), &id) && git_tree_entry_filemode(other) == mode)
          unchanged = true;
      }
      if (unchanged) continue;
      if (mode != GIT_FILEMODE_TREE && !targets.contains(id)) continue;
      const std::string path = prefix.empty() ? std::string(name) : prefix + "/" + name;
      if (excluded && excluded(path)) continue;
      if (mode != GIT_FILEMODE_TREE) {
        introduce(id, path);
        continue;
      }
      Tree subtree = lookup(id);
      if (!subtree) continue;
      std::vector<Tree> owned;
      std::vector<git_tree*> parent_subtrees;
      for (const git_tree_entry* other : same_name) {
        if (other && git_tree_entry_filemode(other) == GIT_FILEMODE_TREE) {
          owned.push_back(lookup(*git_tree_entry_id(other)));
          parent_subtrees.push_back(owned.back().get());
        } else {
          parent_subtrees.push_back(nullptr);
        }
      }
      compare(subtree.get(), parent_subtrees, path);
    }
  }
};

}  // namespace

std::map<git_oid, BlobOrigin, OidLess> find_origins(git_repository* repo, const std::vector<git_oid>& commits,
                                                     const std::vector<git_oid>& targets,
                                                     const std::function<bool(std::string_view)>& excluded) {
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
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo, &oid) < 0) continue;
    Commit commit(raw);
    Node node;
    node.oid = oid;
    node.tree = *git_commit_tree_id(commit.get());
    node.time = git_commit_time(commit.get());
    std::vector<git_oid> parents;
    for (unsigned p = 0; p < git_commit_parentcount(commit.get()); ++p)
      parents.push_back(*git_commit_parent_id(commit.get(), p));
    index.emplace_back(oid, static_cast<std::uint32_t>(nodes.size()));
    nodes.push_back(std::move(node));
    parent_ids.push_back(std::move(parents));
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

  // Parents before children; among commits ready at the same time, the older first.
  using Key = std::tuple<std::int64_t, std::uint32_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<>> ready;
  std::vector<std::uint32_t> waiting(nodes.size());
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    waiting[i] = static_cast<std::uint32_t>(nodes[i].parents.size());
    if (waiting[i] == 0) ready.emplace(nodes[i].time, i);
  }
  Search search{repo, target_set, excluded, origins};
  while (!ready.empty()) {
    const std::uint32_t i = std::get<1>(ready.top());
    ready.pop();
    for (std::uint32_t child : nodes[i].children)
      if (--waiting[child] == 0) ready.emplace(nodes[child].time, child);

    const Node& node = nodes[i];
    bool same_as_parent = false;
    for (std::uint32_t p : node.parents)
      if (git_oid_equal(&nodes[p].tree, &node.tree)) same_as_parent = true;
    if (same_as_parent) continue;
    Tree tree = search.lookup(node.tree);
    if (!tree) continue;
    std::vector<Tree> owned;
    std::vector<git_tree*> parent_trees;
    for (std::uint32_t p : node.parents) {
      owned.push_back(search.lookup(nodes[p].tree));
      parent_trees.push_back(owned.back().get());
    }
    search.commit = &node.oid;
    ++search.rank;
    search.compare(tree.get(), parent_trees, "");
  }
  return origins;
}

}  // namespace sentryscan::git
