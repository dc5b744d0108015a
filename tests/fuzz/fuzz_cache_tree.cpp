// The index-file reader behind the staged scan's cache-tree shortcut
// (src/source/git_cache_tree.cpp): the index of an untrusted repository is
// arbitrary bytes.
//
// Invariants: parsing never reads out of bounds (the sanitizers), and a tree
// that parses has a nameless root and named subtrees. (A name holding '/'
// is harmless: it matches no entry of HEAD's trees, so the staged walk
// compares that directory in full.)
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "source/git/staged/cache_tree.h"

namespace {

void check_names(const sentryscan::git::CacheTreeNode& node) {
  for (const auto& child : node.children) {
    if (child.name.empty()) std::abort();
    check_names(child);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (const auto root = sentryscan::git::parse_cache_tree(bytes)) {
    if (!root->name.empty()) std::abort();
    check_names(*root);
  }
  return 0;
}
