#include "source/git/diff_depth.h"

#include <algorithm>
#include <string>

#include "source/git/tree_store.h"

namespace sentryscan::git {
namespace {

constexpr unsigned kTooDeep = kMaxTreeDepth + 1;

Tree lookup(git_repository* repo, const git_oid& id) {
  git_tree* raw = nullptr;
  return git_tree_lookup(&raw, repo, &id) == 0 ? Tree(raw) : Tree(nullptr);
}

bool is_tree(const git_tree_entry* entry) { return entry && git_tree_entry_type(entry) == GIT_OBJECT_TREE; }

}  // namespace

bool DiffDepth::ok(const git_tree* old_tree, const git_tree* new_tree) {
  return pair(old_tree ? git_tree_id(old_tree) : nullptr, new_tree ? git_tree_id(new_tree) : nullptr, 0);
}

bool DiffDepth::ok_at(const git_tree* root, const std::string& path) {
  git_tree_entry* raw = nullptr;
  if (!root || git_tree_entry_bypath(&raw, root, path.c_str()) < 0) return true;  // nothing there to expand
  const TreeEntryHandle entry(raw);
  if (!is_tree(entry.get())) return true;
  const auto levels = static_cast<unsigned>(std::count(path.begin(), path.end(), '/') + 1);
  return levels + height(*git_tree_entry_id(entry.get()), levels) <= kMaxTreeDepth;
}

unsigned DiffDepth::height(const git_oid& tree, unsigned depth) {
  if (depth >= kMaxTreeDepth) return kTooDeep;
  if (const auto it = heights_.find(tree); it != heights_.end()) return it->second == 0 ? kTooDeep : it->second;
  heights_[tree] = 0;  // a tree met again below itself holds itself
  unsigned below = 0;
  if (const Tree t = lookup(repo_, tree)) {
    const std::size_t count = git_tree_entrycount(t.get());
    for (std::size_t i = 0; i < count && below < kTooDeep; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(t.get(), i);
      if (is_tree(entry)) below = std::max(below, height(*git_tree_entry_id(entry), depth + 1));
    }
  }
  const unsigned result = std::min(below + 1, kTooDeep);
  heights_[tree] = result;
  return result;
}

bool DiffDepth::pair(const git_oid* old_id, const git_oid* new_id, unsigned depth) {
  if (!old_id && !new_id) return true;
  if (depth >= kMaxTreeDepth) return false;
  if (old_id && new_id && git_oid_equal(old_id, new_id)) return true;  // the diff skips it
  if (!old_id || !new_id) {
    const git_oid& only = old_id ? *old_id : *new_id;
    return depth + height(only, depth) <= kMaxTreeDepth;
  }
  const Tree old_tree = lookup(repo_, *old_id), new_tree = lookup(repo_, *new_id);
  if (!old_tree || !new_tree) return true;
  const std::size_t new_count = git_tree_entrycount(new_tree.get());
  for (std::size_t i = 0; i < new_count; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(new_tree.get(), i);
    if (!is_tree(entry)) continue;
    const git_tree_entry* other = git_tree_entry_byname(old_tree.get(), git_tree_entry_name(entry));
    if (!pair(is_tree(other) ? git_tree_entry_id(other) : nullptr, git_tree_entry_id(entry), depth + 1)) return false;
  }
  const std::size_t old_count = git_tree_entrycount(old_tree.get());
  for (std::size_t i = 0; i < old_count; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(old_tree.get(), i);
    if (!is_tree(entry) || is_tree(git_tree_entry_byname(new_tree.get(), git_tree_entry_name(entry)))) continue;
    if (!pair(git_tree_entry_id(entry), nullptr, depth + 1)) return false;
  }
  return true;
}

}  // namespace sentryscan::git
