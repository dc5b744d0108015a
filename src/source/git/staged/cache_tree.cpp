#include "source/git/staged/cache_tree.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "source/git/staged/index_format.h"

// Index file format: Documentation/gitformat-index.txt in git.
namespace sentryscan::git {
namespace {

using namespace index_format;

// Deeper cache-trees are possible (a hostile repository) but not worth a
// recursion that deep: the staged scan then compares everything.
constexpr int kMaxDepth = 512;

// The offset just past the last entry (where the extensions start).
std::optional<std::size_t> skip_entries(std::string_view file, std::uint32_t version, std::uint32_t count,
                                        std::size_t end) {
  std::size_t pos = kHeaderBytes;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t start = pos;
    if (end - pos < kEntryFixedBytes) return std::nullopt;
    const std::uint16_t flags = big_endian_16(file.data() + pos + kEntryFixedBytes - 2);
    pos += kEntryFixedBytes;
    if (flags & kExtendedFlag) {
      if (version < 3 || end - pos < 2) return std::nullopt;
      pos += 2;
    }
    if (version == 4) {
      // A varint (how much of the previous path to drop), then the rest of the path.
      std::uint64_t drop = 0;
      if (!read_varint(file, pos, end, drop)) return std::nullopt;
    }
    const std::size_t nul = file.find('\0', pos);
    if (nul == std::string_view::npos || nul >= end) return std::nullopt;
    pos = nul + 1;
    // Versions 2 and 3 pad each entry with 1-8 NULs to a multiple of 8 bytes.
    if (version != 4) pos = start + ((nul - start + 8) & ~std::size_t{7});
    if (pos > end) return std::nullopt;
  }
  return pos;
}

bool read_decimal(std::string_view& data, char terminator, long& out) {
  const std::size_t stop = data.find(terminator);
  if (stop == std::string_view::npos || stop == 0 || stop > 12) return false;
  std::string_view digits = data.substr(0, stop);
  const bool negative = digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  long value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  out = negative ? -value : value;
  data.remove_prefix(stop + 1);
  return true;
}

// One node and, in pre-order, its subtrees.
bool parse_node(std::string_view& data, CacheTreeNode& node, int depth) {
  if (depth > kMaxDepth) return false;
  const std::size_t nul = data.find('\0');
  if (nul == std::string_view::npos) return false;
  node.name = std::string(data.substr(0, nul));
  data.remove_prefix(nul + 1);
  long entries = 0, subtrees = 0;
  if (!read_decimal(data, ' ', entries) || !read_decimal(data, '\n', subtrees) || subtrees < 0) return false;
  node.valid = entries >= 0;
  if (node.valid) {
    if (data.size() < kOidBytes) return false;
    std::memcpy(node.id.id, data.data(), kOidBytes);
    data.remove_prefix(kOidBytes);
  }
  // Each subtree takes at least 5 bytes: a count cannot make us allocate more than the data.
  if (static_cast<std::size_t>(subtrees) > data.size() / 5) return false;
  node.children.resize(static_cast<std::size_t>(subtrees));
  for (auto& child : node.children)
    if (!parse_node(data, child, depth + 1) || child.name.empty()) return false;
  return true;
}

std::string join(const std::string& dir, std::string_view name) {
  return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

// Walks the directories the cache-tree marks as (possibly) changed, next to
// HEAD's trees for them, and lists what the diff has to look at.
class PathCollector {
 public:
  PathCollector(git_repository* repo, git_index* index, std::vector<std::string>& out)
      : repo_(repo), index_(index), out_(out) {}

  bool visit(const std::string& dir, const CacheTreeNode& node, git_tree* tree) {
    if (node.valid && git_oid_equal(&node.id, git_tree_id(tree))) return true;
    const std::size_t count = git_tree_entrycount(tree);
    for (std::size_t i = 0; i < count; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
      const std::string path = join(dir, git_tree_entry_name(entry));
      if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
        out_.push_back(path);  // a file, link or submodule: the diff compares it
        continue;
      }
      const CacheTreeNode* child = node.child(git_tree_entry_name(entry));
      if (child && child->valid && git_oid_equal(&child->id, git_tree_entry_id(entry))) continue;
      if (!child) {
        out_.push_back(path);  // the cache-tree knows nothing of it: everything under it
        continue;
      }
      git_tree* raw = nullptr;
      if (git_tree_lookup(&raw, repo_, git_tree_entry_id(entry)) < 0) return false;
      const Tree subtree(raw);
      if (!visit(path, *child, subtree.get())) return false;
    }
    add_index_only(dir, tree);
    return true;
  }

 private:
  // Files and directories the index has directly under `dir` and HEAD does not.
  void add_index_only(const std::string& dir, git_tree* tree) {
    const std::string prefix = dir.empty() ? std::string() : dir + "/";
    std::size_t pos = 0;
    if (!prefix.empty() && git_index_find_prefix(&pos, index_, prefix.c_str()) < 0) return;
    std::string last_dir;
    for (const std::size_t count = git_index_entrycount(index_); pos < count; ++pos) {
      const std::string_view path = git_index_get_byindex(index_, pos)->path;
      if (!path.starts_with(prefix)) break;
      const std::string_view rest = path.substr(prefix.size());
      const std::size_t slash = rest.find('/');
      const std::string name(rest.substr(0, slash));
      const git_tree_entry* in_head = git_tree_entry_byname(tree, name.c_str());
      const bool head_has_dir = in_head && git_tree_entry_type(in_head) == GIT_OBJECT_TREE;
      if (slash == std::string_view::npos) {
        if (!in_head || head_has_dir) out_.push_back(std::string(path));  // new, or a directory became a file
      } else if (!head_has_dir && name != last_dir) {
        out_.push_back(prefix + name);  // a new directory, or a file became one
        last_dir = name;
      }
    }
  }

  git_repository* repo_;
  git_index* index_;
  std::vector<std::string>& out_;
};


}  // namespace

const CacheTreeNode* CacheTreeNode::child(std::string_view child_name) const {
  for (const auto& c : children)
    if (c.name == child_name) return &c;
  return nullptr;
}

std::optional<CacheTreeNode> parse_cache_tree(std::string_view file) {
  if (file.size() < kHeaderBytes + kOidBytes || file.substr(0, 4) != "DIRC") return std::nullopt;
  const std::uint32_t version = big_endian_32(file.data() + 4);
  if (version < 2 || version > 4) return std::nullopt;
  const std::size_t end = file.size() - kOidBytes;
  const auto extensions = skip_entries(file, version, big_endian_32(file.data() + 8), end);
  if (!extensions) return std::nullopt;
  std::optional<CacheTreeNode> root;
  std::size_t pos = *extensions;
  while (pos < end) {
    if (end - pos < 8) return std::nullopt;
    const std::string_view signature = file.substr(pos, 4);
    const std::uint32_t size = big_endian_32(file.data() + pos + 4);
    pos += 8;
    if (size > end - pos) return std::nullopt;
    // A split index keeps its entries in another file; a sparse one has
    // directories as entries. Neither is what the walk below expects.
    if (signature == "link" || signature == "sdir") return std::nullopt;
    if (signature == "TREE") {
      std::string_view data = file.substr(pos, size);
      CacheTreeNode node;
      if (!parse_node(data, node, 0) || !data.empty() || !node.name.empty()) return std::nullopt;
      root = std::move(node);
    }
    pos += size;
  }
  return root;
}

std::optional<std::vector<std::string>> paths_that_may_differ(git_repository* repo, git_tree* head,
                                                              git_index* index) {
  const char* index_path = git_index_path(index);
  const git_oid* loaded = git_index_checksum(index);
  if (!head || !index_path || !loaded) return std::nullopt;
  // With core.ignorecase libgit2 sorts the entries case-insensitively, and
  // the walk below, which takes each directory's entries as one contiguous
  // range, could miss some.
  if ((git_index_caps(index) & GIT_INDEX_CAPABILITY_IGNORE_CASE) != 0) return std::nullopt;
  const auto file = read_index_bytes(index_path);
  // Rewritten since libgit2 read it (another git command): its cache-tree
  // would describe other entries.
  if (!file || file->size() < kOidBytes ||
      std::memcmp(file->data() + file->size() - kOidBytes, loaded->id, kOidBytes) != 0)
    return std::nullopt;
  const auto root = parse_cache_tree(*file);
  if (!root) return std::nullopt;
  std::vector<std::string> paths;
  PathCollector collector(repo, index, paths);
  if (!collector.visit("", *root, head)) return std::nullopt;
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

}  // namespace sentryscan::git
