// Parsing trees and commits in exactly the form git writes them, for the
// tree store (tree_store.h). The bytes come from a scanned repository and
// are hostile: everything is bounds-checked, and anything outside that form
// (which libgit2 may read differently, or not at all) is refused, so the
// caller reads that object through libgit2 instead.
//
//   std::vector<RawEntry> entries;
//   if (parse_tree(bytes, entries) && names_unique(entries)) ...  // e.name, e.mode, e.id
//   RawCommit commit;
//   if (parse_commit(bytes, commit)) ...                        // commit.tree, .parents, .time
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "source/git/handle.h"

namespace sentryscan::git {

// libgit2's normalize_filemode (git_tree_entry_filemode) and
// git_tree_entry_type, from an entry's raw mode.
git_filemode_t normalised(std::uint32_t raw_mode);
git_object_t type_of(std::uint32_t raw_mode);

// git's tree order (base_name_compare): a directory sorts as if its name ended in '/'.
int tree_order(std::string_view a, bool a_dir, std::string_view b, bool b_dir);

struct RawEntry {
  std::uint32_t mode;
  std::string_view name;   // into the parsed bytes
  const unsigned char* id;  // 20 bytes, into the parsed bytes
};

// "<octal mode> <name>\0<20-byte id>" repeated, in tree order, no name
// twice in a row, no '/' in a name, modes of at most 7 octal digits.
bool parse_tree(std::string_view bytes, std::vector<RawEntry>& out);

// No name is used by a file and by a directory both (they are not adjacent
// in tree order, and a lookup by name would have two answers).
bool names_unique(const std::vector<RawEntry>& entries);

struct RawCommit {
  git_oid tree{};
  std::vector<git_oid> parents;
  std::int64_t time = 0;  // the committer's, as git_commit_time gives it
};

// The head of a commit: "tree", "parent" lines, "author" (extra author lines
// skipped, as libgit2 does), "committer", ids in lowercase hex, signatures
// ending in "<email> <seconds> <+|-><hhmm>".
bool parse_commit(std::string_view bytes, RawCommit& out);

}  // namespace sentryscan::git
