#include "source/git/tree_parse.h"

#include <algorithm>
#include <cstring>

namespace sentryscan::git {
namespace {

constexpr std::uint32_t kTypeMask = 0170000, kTreeType = 0040000, kLinkType = 0120000, kCommitType = 0160000;

// "<header><40 lowercase hex>\n" at `pos`; moves past it.
bool parse_id_line(std::string_view bytes, std::size_t& pos, std::string_view header, git_oid& out) {
  if (bytes.size() - pos < header.size() + GIT_OID_HEXSZ + 1 || bytes.substr(pos, header.size()) != header) return false;
  const std::size_t hex = pos + header.size();
  for (std::size_t i = 0; i < GIT_OID_HEXSZ; ++i) {
    const char c = bytes[hex + i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  if (bytes[hex + GIT_OID_HEXSZ] != '\n' || git_oid_fromstrn(&out, bytes.data() + hex, GIT_OID_HEXSZ) != 0) return false;
  pos = hex + GIT_OID_HEXSZ + 1;
  return true;
}

// A signature line as git writes it: "<header>... <email> <seconds> <+|-><hhmm>\n"
// (the last '<' before the last '>'). libgit2 reads looser ones too (no
// zone, no time); those are refused. Sets `time` and moves past the line.
bool parse_signature_line(std::string_view bytes, std::size_t& pos, std::string_view header, std::int64_t& time) {
  const std::size_t end = bytes.find('\n', pos);
  if (end == std::string_view::npos || end - pos <= header.size() || bytes.substr(pos, header.size()) != header)
    return false;
  const std::string_view line = bytes.substr(pos + header.size(), end - pos - header.size());
  const std::size_t open = line.rfind('<'), close = line.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open) return false;
  const std::string_view tail = line.substr(close + 1);  // " 1700000000 +0100"
  if (tail.size() < 9 || tail.size() > 25 || tail[0] != ' ') return false;
  const std::size_t zone = tail.size() - 6;
  if (tail[zone] != ' ' || (tail[zone + 1] != '+' && tail[zone + 1] != '-')) return false;
  for (std::size_t i = zone + 2; i < tail.size(); ++i)
    if (tail[i] < '0' || tail[i] > '9') return false;
  if (zone < 2) return false;
  std::int64_t seconds = 0;
  for (std::size_t i = 1; i < zone; ++i) {
    if (tail[i] < '0' || tail[i] > '9') return false;
    seconds = seconds * 10 + (tail[i] - '0');
  }
  time = seconds;
  pos = end + 1;
  return true;
}

}  // namespace

// GIT_MODE_TYPE is the 0170000 bits, GIT_PERMS_IS_EXEC the 0100 bit (libgit2 1.5).
git_filemode_t normalised(std::uint32_t raw) {
  if ((raw & kTypeMask) == kTreeType) return GIT_FILEMODE_TREE;
  if (raw & 0100) return GIT_FILEMODE_BLOB_EXECUTABLE;
  if ((raw & kTypeMask) == kCommitType) return GIT_FILEMODE_COMMIT;
  if ((raw & kTypeMask) == kLinkType) return GIT_FILEMODE_LINK;
  return GIT_FILEMODE_BLOB;
}

git_object_t type_of(std::uint32_t raw) {
  if ((raw & kTypeMask) == kCommitType) return GIT_OBJECT_COMMIT;
  if ((raw & kTypeMask) == kTreeType) return GIT_OBJECT_TREE;
  return GIT_OBJECT_BLOB;
}

int tree_order(std::string_view a, bool a_dir, std::string_view b, bool b_dir) {
  const std::size_t n = std::min(a.size(), b.size());
  if (const int cmp = std::memcmp(a.data(), b.data(), n)) return cmp;
  const unsigned char ca = a.size() > n ? static_cast<unsigned char>(a[n]) : (a_dir ? '/' : 0);
  const unsigned char cb = b.size() > n ? static_cast<unsigned char>(b[n]) : (b_dir ? '/' : 0);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

// Anything else is refused: libgit2 may read it differently, or not at all.
bool parse_tree(std::string_view bytes, std::vector<RawEntry>& out) {
  out.clear();
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::uint32_t mode = 0;
    std::size_t digits = 0;
    while (pos < bytes.size() && bytes[pos] >= '0' && bytes[pos] <= '7' && digits < 7) {
      mode = mode * 8 + static_cast<std::uint32_t>(bytes[pos++] - '0');
      ++digits;
    }
    if (digits == 0 || mode > 0xffff || pos >= bytes.size() || bytes[pos++] != ' ') return false;
    const std::size_t nul = bytes.find('\0', pos);
    if (nul == std::string_view::npos || nul == pos || nul - pos > 0xffff || bytes.size() - (nul + 1) < GIT_OID_RAWSZ)
      return false;
    const std::string_view name = bytes.substr(pos, nul - pos);
    if (name.find('/') != std::string_view::npos) return false;
    out.push_back({mode, name, reinterpret_cast<const unsigned char*>(bytes.data() + nul + 1)});
    pos = nul + 1 + GIT_OID_RAWSZ;
  }
  for (std::size_t i = 1; i < out.size(); ++i)
    if (tree_order(out[i - 1].name, type_of(out[i - 1].mode) == GIT_OBJECT_TREE, out[i].name,
                   type_of(out[i].mode) == GIT_OBJECT_TREE) >= 0)
      return false;
  return true;
}

bool names_unique(const std::vector<RawEntry>& entries) {
  for (const RawEntry& e : entries) {
    if (type_of(e.mode) != GIT_OBJECT_TREE) continue;
    const auto it = std::lower_bound(entries.begin(), entries.end(), e.name, [](const RawEntry& x, std::string_view name) {
      return tree_order(x.name, type_of(x.mode) == GIT_OBJECT_TREE, name, false) < 0;
    });
    if (it != entries.end() && it->name == e.name && type_of(it->mode) != GIT_OBJECT_TREE) return false;
  }
  return true;
}

// Anything else is refused and left to libgit2.
bool parse_commit(std::string_view bytes, RawCommit& out) {
  out.parents.clear();
  std::size_t pos = 0;
  if (!parse_id_line(bytes, pos, "tree ", out.tree)) return false;
  git_oid parent;
  while (bytes.substr(pos, 7) == "parent ") {
    if (!parse_id_line(bytes, pos, "parent ", parent)) return false;
    out.parents.push_back(parent);
  }
  std::int64_t author_time = 0;
  if (!parse_signature_line(bytes, pos, "author ", author_time)) return false;
  while (bytes.substr(pos, 7) == "author ") {
    const std::size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) return false;
    pos = end + 1;
  }
  return parse_signature_line(bytes, pos, "committer ", out.time);
}

}  // namespace sentryscan::git
