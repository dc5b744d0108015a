#include "source/git/staged/sparse_index.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "source/git/staged/index_format.h"

// Index file format: Documentation/gitformat-index.txt in git.
namespace sentryscan::git {
namespace {

using namespace index_format;

constexpr std::size_t kModeOffset = 24;
constexpr std::size_t kOidOffset = 40;
constexpr std::uint32_t kDirectoryMode = 040000;

struct RawEntry {
  std::string path;
  std::uint32_t mode = 0;
  git_oid id{};
  std::uint16_t flags = 0;     // the stage is in bits 12-13
  std::uint16_t extended = 0;  // skip-worktree, intent-to-add (version 3+)
};

struct ParsedIndex {
  std::vector<RawEntry> entries;
  bool sparse = false;  // has the 'sdir' extension
};

// Every entry and whether the index is sparse; an error text when the file
// is not an index this reader follows.
std::optional<ParsedIndex> parse_index(std::string_view file, std::string& error) {
  if (file.size() < kHeaderBytes + kOidBytes || file.substr(0, 4) != "DIRC") {
    error = "not an index file";
    return std::nullopt;
  }
  const std::uint32_t version = big_endian_32(file.data() + 4);
  if (version < 2 || version > 4) {
    error = fmt::format("index version {} is not supported", version);
    return std::nullopt;
  }
  const std::uint32_t count = big_endian_32(file.data() + 8);
  const std::size_t end = file.size() - kOidBytes;
  // Each entry takes at least kEntryFixedBytes + 1: a count cannot make us allocate more than the data.
  if (count > end / (kEntryFixedBytes + 1)) {
    error = "truncated index";
    return std::nullopt;
  }
  ParsedIndex parsed;
  parsed.entries.reserve(count);
  std::size_t pos = kHeaderBytes;
  std::string previous;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t start = pos;
    if (end - pos < kEntryFixedBytes) break;
    RawEntry entry;
    entry.mode = big_endian_32(file.data() + pos + kModeOffset);
    std::memcpy(entry.id.id, file.data() + pos + kOidOffset, kOidBytes);
    entry.flags = big_endian_16(file.data() + pos + kEntryFixedBytes - 2);
    pos += kEntryFixedBytes;
    if (entry.flags & kExtendedFlag) {
      if (version < 3 || end - pos < 2) break;
      entry.extended = big_endian_16(file.data() + pos);
      pos += 2;
    }
    std::size_t drop = 0;
    if (version == 4) {
      std::uint64_t value = 0;
      if (!read_varint(file, pos, end, value) || value > previous.size()) break;
      drop = static_cast<std::size_t>(value);
    }
    const std::size_t nul = file.find('\0', pos);
    if (nul == std::string_view::npos || nul >= end) break;
    if (version == 4) {
      entry.path = previous.substr(0, previous.size() - drop);
      entry.path.append(file.substr(pos, nul - pos));
    } else {
      entry.path = std::string(file.substr(pos, nul - pos));
    }
    pos = nul + 1;
    // Versions 2 and 3 pad each entry with 1-8 NULs to a multiple of 8 bytes.
    if (version != 4) pos = start + ((nul - start + 8) & ~std::size_t{7});
    if (pos > end || entry.path.empty()) break;
    previous = entry.path;
    parsed.entries.push_back(std::move(entry));
  }
  if (parsed.entries.size() != count) {
    error = "truncated or malformed index entries";
    return std::nullopt;
  }
  while (pos < end) {
    if (end - pos < 8) {
      error = "truncated index extension";
      return std::nullopt;
    }
    const std::string_view signature = file.substr(pos, 4);
    const std::uint32_t size = big_endian_32(file.data() + pos + 4);
    pos += 8;
    if (size > end - pos) {
      error = "truncated index extension";
      return std::nullopt;
    }
    if (signature == "sdir") {
      parsed.sparse = true;
    } else if (signature[0] >= 'a' && signature[0] <= 'z') {
      // Lower case: git says a reader that does not know it must stop (e.g. 'link', a split index).
      error = "unsupported mandatory index extension";
      return std::nullopt;
    }
    pos += size;
  }
  return parsed;
}

struct Expansion {
  git_index* index = nullptr;
  std::string prefix;  // the directory entry's path, ending in '/'
  std::string path;    // reused for each file
  int error = 0;
};

// git_tree_walk callback: one index entry per file below the directory.
int add_tree_entry(const char* root, const git_tree_entry* tree_entry, void* payload) {
  auto& expansion = *static_cast<Expansion*>(payload);
  if (git_tree_entry_type(tree_entry) == GIT_OBJECT_TREE) return 0;
  expansion.path.assign(expansion.prefix).append(root).append(git_tree_entry_name(tree_entry));
  git_index_entry entry{};
  entry.path = expansion.path.c_str();
  entry.mode = static_cast<std::uint32_t>(git_tree_entry_filemode(tree_entry));
  entry.id = *git_tree_entry_id(tree_entry);
  entry.flags_extended = GIT_INDEX_ENTRY_SKIP_WORKTREE;
  expansion.error = git_index_add(expansion.index, &entry);
  return expansion.error < 0 ? -1 : 0;
}

// A tree walk in pre-order yields paths in index order (git orders a tree's
// entries as if directories ended in '/'), so each entry lands at the end of
// the index and adding them stays linear.
void expand_directory(git_repository* repo, git_index* index, const RawEntry& directory) {
  git_tree* raw = nullptr;
  int rc = git_tree_lookup(&raw, repo, &directory.id);
  if (rc < 0)
    throw GitError(fmt::format("reading the sparse index: cannot read tree {} of a sparse directory entry: {}",
                               to_hex(directory.id), last_error_text(rc)),
                   rc);
  const Tree tree(raw);
  Expansion expansion{index, directory.path, {}, 0};
  if (expansion.prefix.back() != '/') expansion.prefix.push_back('/');
  rc = git_tree_walk(tree.get(), GIT_TREEWALK_PRE, add_tree_entry, &expansion);
  if (rc < 0) {
    const int code = expansion.error < 0 ? expansion.error : rc;
    throw GitError(fmt::format("reading the sparse index: cannot expand tree {}: {}", to_hex(directory.id),
                               last_error_text(code)),
                   code);
  }
}

}  // namespace

bool is_sparse_index(std::string_view index_file) {
  std::string error;
  const auto parsed = parse_index(index_file, error);
  return parsed && parsed->sparse;
}

Index expand_sparse_index(git_repository* repo, std::string_view index_file) {
  std::string error;
  const auto parsed = parse_index(index_file, error);
  if (!parsed) throw GitError("reading the sparse index: " + error, -1);
  git_index* raw = nullptr;
  check(git_index_new(&raw), "creating an index");
  Index index(raw);
  for (const RawEntry& raw_entry : parsed->entries) {
    if (raw_entry.mode == kDirectoryMode) {
      expand_directory(repo, index.get(), raw_entry);
      continue;
    }
    git_index_entry entry{};
    entry.path = raw_entry.path.c_str();
    entry.mode = raw_entry.mode;
    entry.id = raw_entry.id;
    entry.flags = raw_entry.flags & GIT_INDEX_ENTRY_STAGEMASK;
    entry.flags_extended = raw_entry.extended & GIT_INDEX_ENTRY_EXTENDED_FLAGS;
    check(git_index_add(index.get(), &entry), "reading the sparse index");
  }
  return index;
}

}  // namespace sentryscan::git
