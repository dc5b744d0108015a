// The tree store's parsers (src/source/git/tree_parse.h): trees and commits
// of a scanned repository are untrusted bytes.
//
// Input: one byte choosing tree or commit, then the object's bytes.
//
// Invariants: no crash or out-of-bounds read (the sanitizers); a tree that
// parses has entries inside the input, in strict tree order, with names of
// 1-65535 bytes without '/' or NUL and modes of at most 16 bits; a commit
// that parses has a committer time of at most 18 digits.
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "source/git/tree_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sentryscan::git;
  if (size < 1) return 0;
  const bool tree = data[0] & 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (tree) {
    std::vector<RawEntry> entries;
    if (!parse_tree(bytes, entries)) return 0;
    names_unique(entries);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const RawEntry& e = entries[i];
      const char* begin = bytes.data();
      const char* end = begin + bytes.size();
      FUZZ_CHECK(e.name.data() >= begin && e.name.data() + e.name.size() <= end, "name outside the input");
      FUZZ_CHECK(reinterpret_cast<const char*>(e.id) >= begin &&
                                reinterpret_cast<const char*>(e.id) + 20 <= end,
                            "id outside the input");
      FUZZ_CHECK(!e.name.empty() && e.name.size() <= 0xffff, "name length");
      FUZZ_CHECK(e.name.find('/') == std::string_view::npos && e.name.find('\0') == std::string_view::npos,
                            "name holds '/' or NUL");
      FUZZ_CHECK(e.mode <= 0xffff, "mode over 16 bits");
      if (i > 0)
        FUZZ_CHECK(tree_order(entries[i - 1].name, type_of(entries[i - 1].mode) == GIT_OBJECT_TREE, e.name,
                                         type_of(e.mode) == GIT_OBJECT_TREE) < 0,
                              "entries out of order");
      (void)normalised(e.mode);
    }
  } else {
    RawCommit commit;
    if (parse_commit(bytes, commit))
      FUZZ_CHECK(commit.time >= 0 && commit.time < 1000000000000000000, "commit time");
  }
  return 0;
}
