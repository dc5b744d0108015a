// The first pass of the pack reader: the .idx (version 2) and the header of
// every entry of the .pack, in pack order, with each delta linked to its base
// and each base to its children. Nothing is inflated here.
#pragma once

#include <atomic>
#include <mutex>
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

// The pack, mapped read-only. A read of the mapping makes the kernel map
// more than it reads: the 64 KiB around a fault (fault-around), or a whole
// large folio of the page cache (up to 2 MiB on current kernels, after a
// sequential read of the pack). So the resident file-backed memory of the
// process is looked at (/proc/self/statm) after every kCheckEvery bytes of
// new 64 KiB windows read, and the mapping's pages are dropped again
// (MADV_DONTNEED) once it is kDropEvery above what it was before: a 357 MB
// pack read end to end does not stay resident, as a private clean mapping
// refaults from the page cache. (Counting windows alone let sentry-javascript
// reach 235 MB of mapped pack once its page cache held large folios; counting
// 64 KiB per read dropped every 512 reads of small trees: 1.2 s of refaults.)
class PackMap {
 public:
  static constexpr std::uint64_t kDropEvery = 32ull << 20;
  static constexpr std::uint64_t kCheckEvery = 1ull << 20;
  static constexpr unsigned kWindowShift = 16;
  PackMap() = default;
  ~PackMap();
  PackMap(PackMap&& other) noexcept;
  PackMap& operator=(PackMap&&) = delete;
  bool map(int fd, std::uint64_t size);
  void unmap();
  const unsigned char* data() const { return data_; }
  // Counts the windows of [offset, offset + length) about to be read; drops
  // the resident pages past the threshold.
  void touch(std::uint64_t offset, std::uint64_t length);

 private:
  unsigned char* data_ = nullptr;
  std::uint64_t size_ = 0;
  std::vector<std::atomic<std::uint64_t>> windows_;  // a bit per window counted since the last drop
  std::atomic<std::uint64_t> counted_{0};            // bytes of new windows since the last look
  std::mutex check_mutex_;
  std::uint64_t baseline_ = 0;        // resident file-backed bytes after the last drop
  std::uint64_t dropped_counts_ = 0;  // without /proc: bytes counted since the last drop
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
  // Mapped for the header pass only (load_pack_table unmaps it); objects are
  // read with pread from `file`: what a mapping keeps resident cannot be
  // bounded (a fault maps a whole large folio of the page cache), pread's
  // buffer can.
  PackMap map;
  OwnedFd file;
  std::uint64_t pack_size = 0;
  std::uint64_t data_end = 0;  // the trailer checksum starts here
  std::vector<Entry> entries;  // sorted by offset
  std::vector<unsigned char> idx_oids;       // the index's sorted ids, 20 bytes each
  std::vector<std::uint32_t> entry_of_idx;   // index position -> entry
  // Where the entry's zlib stream may end: the next entry or the trailer.
  std::uint64_t stream_end(std::uint32_t i) const {
    return i + 1 < entries.size() ? entries[i + 1].offset : data_end;
  }
};

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
