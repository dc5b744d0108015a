// The first pass of the pack reader: the .idx (version 2) and the header of
// every entry of the .pack, in pack order, with each delta linked to its base
// and each base to its children. Nothing is inflated here.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "source/git/pack/pack_reader.h"

namespace sentryscan::git::pack {

inline constexpr std::uint32_t kNone = 0xffffffffu;

enum class EntryType : std::uint8_t { bad = 0, commit = 1, tree = 2, blob = 3, tag = 4, ofs_delta = 6, ref_delta = 7 };

struct Entry {
  std::uint64_t offset = 0;  // of the entry's header in the pack
  std::uint64_t size = 0;    // inflated size: the object's, or the delta's for deltas
  std::uint32_t base = kNone;          // the base entry of a delta
  std::uint32_t first_child = kNone;   // deltas based on this entry, in pack order
  std::uint32_t next_sibling = kNone;
  std::uint32_t wanted = kNone;        // index into the caller's wanted list
  std::uint8_t header_size = 0;        // the zlib stream starts at offset + header_size
  EntryType type = EntryType::bad;
  bool needed = false;                 // it or a delta below it is wanted
};

// A descriptor the table owns (this folder uses nothing of core/).
struct OwnedFd {
  int fd = -1;
  OwnedFd() = default;
  explicit OwnedFd(int value) : fd(value) {}
  ~OwnedFd();
  OwnedFd(OwnedFd&& other) noexcept;
  OwnedFd& operator=(OwnedFd&&) = delete;
};

struct PackTable {
  // The pack, for reading objects with pread (read_exactly). Only the header
  // pass of load_pack_table reads through a mapping: what a mapping keeps
  // resident cannot be bounded when reads jump around (a fault maps a whole
  // large folio of the page cache), pread's buffer can.
  OwnedFd file;
  std::uint64_t pack_size = 0;
  std::uint64_t data_end = 0;  // the trailer checksum starts here
  std::vector<Entry> entries;  // sorted by offset
  std::vector<ObjectId> idx_oids;            // the index's ids, sorted (unless it is damaged)
  std::vector<std::uint32_t> entry_of_idx;   // index position -> entry
  // Where the entry's zlib stream may end: the next entry or the trailer.
  std::uint64_t stream_end(std::uint32_t i) const {
    return i + 1 < entries.size() ? entries[i + 1].offset : data_end;
  }
};

// Exactly `size` bytes at `offset`; false on an error or an early end.
bool read_exactly(int fd, std::uint64_t offset, unsigned char* out, std::size_t size);

// Reads the index and every entry header and links deltas to bases.
// nullopt (with `error`) when the pair is not a readable version 2 index of
// this pack. A table serves any number of reads (mark_wanted before each).
std::optional<PackTable> load_pack_table(int pack_fd, int idx_fd, ReadStats& stats, std::string& error);

// Marks the entries of `wanted` ids not yet done, and every entry they need
// (their bases, up to the root), clearing the marks of an earlier read.
void mark_wanted(PackTable& table, std::span<const ObjectId> wanted, const std::vector<std::uint8_t>& done);

// Both at once.
std::optional<PackTable> load_pack_table(int pack_fd, int idx_fd, std::span<const ObjectId> wanted,
                                         const std::vector<std::uint8_t>& done, ReadStats& stats,
                                         std::string& error);

}  // namespace sentryscan::git::pack
