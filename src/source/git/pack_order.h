// Where each object sits in the pack files, so blobs can be read in pack
// order. libgit2 keeps a small cache of delta bases per pack; reading in pack
// order makes nearly every base a cache hit, while tree-walk order re-inflates
// whole delta chains (measured: ~5x the CPU on a gc'ed history).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <utility>
#include <vector>

#include "source/git/handle.h"

namespace sentryscan::git {

// The repository's own objects/pack/*.idx files, in name order: PackOrder's
// pack numbers, and the order the pack reader goes through the packs
// (pack_blobs.cpp; each .pack beside its .idx). Alternates are libgit2's.
std::vector<std::filesystem::path> pack_index_files(git_repository* repo);

class PackOrder {
 public:
  // Reads (maps) every objects/pack/*.idx of the repository. Unreadable or
  // unknown-format indexes are ignored: ordering is an optimisation only.
  explicit PackOrder(git_repository* repo);
  ~PackOrder();
  PackOrder(const PackOrder&) = delete;
  PackOrder& operator=(const PackOrder&) = delete;

  // (pack number, offset in that pack); objects in no pack (loose) sort last.
  std::pair<std::uint32_t, std::uint64_t> position(const git_oid& oid) const;
  std::size_t packs() const { return indexes_.size(); }

 private:
  struct Index {
    const unsigned char* base = nullptr;
    std::size_t size = 0;
    std::uint32_t count = 0;
    const unsigned char* oids = nullptr;
    const unsigned char* offsets = nullptr;
    const unsigned char* large_offsets = nullptr;
    std::size_t large_count = 0;
  };
  std::vector<Index> indexes_;
};

}  // namespace sentryscan::git
