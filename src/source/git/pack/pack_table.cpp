#include "source/git/pack/pack_table.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>

namespace sentryscan::git::pack {
namespace {

constexpr std::size_t kOidSize = 20;
constexpr std::size_t kIdxHeader = 8, kFanout = 256 * 4, kIdxTrailer = 2 * kOidSize;
constexpr std::size_t kPackHeader = 12;
// An entry header: at most 10 bytes of type and size, then an OFS_DELTA
// offset (at most 10 bytes) or a REF_DELTA base id (20 bytes).
constexpr std::size_t kMaxEntryHeader = 10 + kOidSize;

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
std::uint64_t be64(const unsigned char* p) { return (std::uint64_t{be32(p)} << 32) | be32(p + 4); }

std::optional<std::uint64_t> file_size(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < 0) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

struct Index {
  std::vector<unsigned char> bytes;
  std::uint32_t count = 0;
  const unsigned char* oid(std::uint32_t i) const { return bytes.data() + kIdxHeader + kFanout + std::size_t{i} * kOidSize; }
  // Position of `id` in the index, or kNone.
  std::uint32_t find(const unsigned char* id) const {
    const unsigned char* fanout = bytes.data() + kIdxHeader;
    std::uint32_t lo = id[0] == 0 ? 0 : be32(fanout + (id[0] - 1) * 4);
    std::uint32_t hi = std::min(be32(fanout + id[0] * 4), count);
    while (lo < hi) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      const int cmp = std::memcmp(oid(mid), id, kOidSize);
      if (cmp == 0) return mid;
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    return kNone;
  }
};

bool load_index(int idx_fd, Index& index, std::string& error) {
  const auto size = file_size(idx_fd);
  if (!size || *size < kIdxHeader + kFanout + kIdxTrailer || *size > (std::uint64_t{1} << 36)) {
    error = "index too small or too large";
    return false;
  }
  index.bytes.resize(static_cast<std::size_t>(*size));
  if (!read_exactly(idx_fd, 0, index.bytes.data(), index.bytes.size())) {
    error = "index unreadable";
    return false;
  }
  const unsigned char* p = index.bytes.data();
  if (std::memcmp(p, "\377tOc", 4) != 0 || be32(p + 4) != 2) {
    error = "not a version 2 index";
    return false;
  }
  std::uint32_t previous = 0;
  for (int i = 0; i < 256; ++i) {
    const std::uint32_t n = be32(p + kIdxHeader + i * 4);
    if (n < previous) {
      error = "index fan-out table out of order";
      return false;
    }
    previous = n;
  }
  index.count = previous;
  const std::uint64_t tables = kIdxHeader + kFanout + std::uint64_t{index.count} * (kOidSize + 4 + 4);
  if (tables + kIdxTrailer > *size) {
    error = "index shorter than its object count";
    return false;
  }
  return true;
}

// Parses the entry header at entries[i].offset; false when it is damaged.
bool parse_header(const unsigned char* pack, const Index& index, const std::vector<std::uint32_t>& entry_of_idx,
                  PackTable& table, std::uint32_t i, std::vector<std::uint64_t>& ofs_base) {
  Entry& e = table.entries[i];
  const std::uint64_t end = table.stream_end(i);
  const std::span<const unsigned char> bytes(
      pack + e.offset, static_cast<std::size_t>(std::min<std::uint64_t>(kMaxEntryHeader, end - e.offset)));
  std::size_t pos = 0;
  auto next = [&](unsigned& c) {
    if (pos >= bytes.size()) return false;
    c = bytes[pos++];
    return true;
  };
  unsigned c = 0;
  if (!next(c)) return false;
  const unsigned type = (c >> 4) & 7;
  std::uint64_t size = c & 15;
  unsigned shift = 4;
  while (c & 0x80) {
    if (!next(c) || shift > 57) return false;
    size |= std::uint64_t{c & 0x7f} << shift;
    shift += 7;
  }
  e.size = size;
  switch (type) {
    case 1: case 2: case 3: case 4:
      e.type = static_cast<EntryType>(type);
      break;
    case 6: {  // OFS_DELTA: the base is this many bytes before the entry
      if (!next(c)) return false;
      std::uint64_t back = c & 0x7f;
      while (c & 0x80) {
        if (!next(c) || back > (std::uint64_t{1} << 56)) return false;
        back = ((back + 1) << 7) | (c & 0x7f);
      }
      // A base at or after its delta would be a cycle.
      if (back == 0 || back > e.offset - kPackHeader) return false;
      ofs_base[i] = e.offset - back;
      e.type = EntryType::ofs_delta;
      break;
    }
    case 7: {  // REF_DELTA: the base's id, found through the index
      if (pos + kOidSize > bytes.size()) return false;
      const std::uint32_t at = index.find(bytes.data() + pos);
      pos += kOidSize;
      e.base = at == kNone ? kNone : entry_of_idx[at];
      e.type = EntryType::ref_delta;
      break;
    }
    default:
      return false;
  }
  if (pos >= end - e.offset) return false;  // no room for a stream
  e.header_size = static_cast<std::uint8_t>(pos);
  return true;
}

// The process's resident file-backed memory (the third field of
// /proc/self/statm: RssFile + RssShmem, in pages); nullopt without /proc.
std::optional<std::uint64_t> resident_file_bytes() {
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char text[160];
  const ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  text[n] = '\0';
  unsigned long long size = 0, resident = 0, shared = 0;
  if (std::sscanf(text, "%llu %llu %llu", &size, &resident, &shared) != 3) return std::nullopt;
  return static_cast<std::uint64_t>(shared) * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

// The pack, mapped read-only for the header pass, which reads it in pack
// order. Reading a mapping makes the kernel map more than is read: the
// 64 KiB around a fault (fault-around), or a whole large folio of the page
// cache (up to 2 MiB on current kernels, after a sequential read of the
// pack). So every kCheckEvery bytes the pass moves on, the process's
// resident file-backed memory is looked at (/proc/self/statm), and the
// mapping's pages are dropped (MADV_DONTNEED) once it is kDropEvery above
// what it was: a 357 MB pack read end to end does not stay resident, as a
// private clean mapping refaults from the page cache. Without /proc, the
// pages are dropped every kDropEvery bytes.
class HeaderMap {
 public:
  static constexpr std::uint64_t kDropEvery = 32ull << 20;
  static constexpr std::uint64_t kCheckEvery = 1ull << 20;

  HeaderMap(int fd, std::uint64_t size) {
    if (size == 0 || size > std::numeric_limits<std::size_t>::max()) return;
    void* p = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) return;
    data_ = static_cast<const unsigned char*>(p);
    size_ = size;
    baseline_ = resident_file_bytes().value_or(0);
  }
  ~HeaderMap() {
    if (data_) ::munmap(const_cast<unsigned char*>(data_), static_cast<std::size_t>(size_));
  }
  HeaderMap(const HeaderMap&) = delete;
  HeaderMap& operator=(const HeaderMap&) = delete;

  const unsigned char* data() const { return data_; }

  // The pass is about to read up to `end`.
  void read_to(std::uint64_t end) {
    end = std::min(end, size_);
    if (end <= read_to_) return;
    unchecked_ += end - read_to_;
    read_to_ = end;
    if (unchecked_ < kCheckEvery) return;
    since_drop_ += unchecked_;
    unchecked_ = 0;
    const std::optional<std::uint64_t> resident = resident_file_bytes();
    if (resident ? *resident < baseline_ + kDropEvery : since_drop_ < kDropEvery) return;
    since_drop_ = 0;
    ::madvise(const_cast<unsigned char*>(data_), static_cast<std::size_t>(size_), MADV_DONTNEED);
    baseline_ = resident_file_bytes().value_or(0);  // what stays (other mappings) is the new floor
  }

 private:
  const unsigned char* data_ = nullptr;
  std::uint64_t size_ = 0;
  std::uint64_t read_to_ = 0;
  std::uint64_t unchecked_ = 0;   // bytes passed since the last look
  std::uint64_t since_drop_ = 0;  // bytes passed since the last drop
  std::uint64_t baseline_ = 0;    // resident file-backed bytes after the last drop
};

// Index positions in pack order: an LSD radix sort of (offset, position)
// pairs, 11 bits a pass, as many passes as the largest offset needs (three
// for sentry-javascript's 355 MB pack). std::sort of the positions, comparing
// offsets through them, took 35 ms of a serial phase for its 513,036 entries.
std::vector<std::uint32_t> by_offset(const std::vector<std::uint64_t>& offset_of) {
  struct Item {
    std::uint64_t offset;
    std::uint32_t position;
  };
  constexpr unsigned kBits = 11;
  constexpr std::uint64_t kMask = (1u << kBits) - 1;
  std::vector<Item> items(offset_of.size()), spare(offset_of.size());
  std::uint64_t largest = 0;
  for (std::size_t i = 0; i < offset_of.size(); ++i) {
    items[i] = {offset_of[i], static_cast<std::uint32_t>(i)};
    largest = std::max(largest, offset_of[i]);
  }
  for (unsigned shift = 0; shift < 64 && (largest >> shift) != 0; shift += kBits) {
    std::array<std::size_t, kMask + 1> start{};
    for (const Item& item : items) ++start[(item.offset >> shift) & kMask];
    std::size_t sum = 0;
    for (std::size_t& slot : start) sum += std::exchange(slot, sum);
    for (const Item& item : items) spare[start[(item.offset >> shift) & kMask]++] = item;
    items.swap(spare);
  }
  std::vector<std::uint32_t> order(items.size());
  for (std::size_t e = 0; e < items.size(); ++e) order[e] = items[e].position;
  return order;
}

}  // namespace

OwnedFd::~OwnedFd() {
  if (fd >= 0) ::close(fd);
}

OwnedFd::OwnedFd(OwnedFd&& other) noexcept : fd(other.fd) { other.fd = -1; }

bool read_exactly(int fd, std::uint64_t offset, unsigned char* out, std::size_t size) {
  while (size > 0) {
    const ssize_t got = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    offset += static_cast<std::uint64_t>(got);
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

std::optional<PackTable> load_pack_table(int pack_fd, int idx_fd, std::span<const ObjectId> wanted,
                                         const std::vector<std::uint8_t>& done, ReadStats& stats,
                                         std::string& error) {
  std::optional<PackTable> table = load_pack_table(pack_fd, idx_fd, stats, error);
  if (table) mark_wanted(*table, wanted, done);
  return table;
}

std::optional<PackTable> load_pack_table(int pack_fd, int idx_fd, ReadStats& stats, std::string& error) {
  Index index;
  if (!load_index(idx_fd, index, error)) return std::nullopt;
  const auto pack_size = file_size(pack_fd);
  unsigned char head[kPackHeader];
  if (!pack_size || *pack_size < kPackHeader + kOidSize || !read_exactly(pack_fd, 0, head, sizeof head) ||
      std::memcmp(head, "PACK", 4) != 0 || (be32(head + 4) != 2 && be32(head + 4) != 3)) {
    error = "not a pack file";
    return std::nullopt;
  }
  if (be32(head + 8) != index.count) {
    error = "pack and index disagree on the object count";
    return std::nullopt;
  }
  // The index names the pack it was made for by the pack's trailing checksum.
  unsigned char trailer[kOidSize];
  if (!read_exactly(pack_fd, *pack_size - kOidSize, trailer, kOidSize) ||
      std::memcmp(trailer, index.bytes.data() + index.bytes.size() - kIdxTrailer, kOidSize) != 0) {
    error = "index does not belong to this pack";
    return std::nullopt;
  }

  PackTable table;
  HeaderMap map(pack_fd, *pack_size);
  if (!map.data()) {
    error = "pack cannot be mapped";
    return std::nullopt;
  }
  table.file.fd = ::fcntl(pack_fd, F_DUPFD_CLOEXEC, 0);
  if (table.file.fd < 0) {
    error = "pack cannot be opened again";
    return std::nullopt;
  }
  table.pack_size = *pack_size;
  table.data_end = *pack_size - kOidSize;
  stats.objects = index.count;

  // Offsets, validated, then entries in pack order.
  const unsigned char* offsets = index.oid(0) + std::size_t{index.count} * (kOidSize + 4);
  const unsigned char* large = offsets + std::size_t{index.count} * 4;
  const std::uint64_t large_count = (index.bytes.data() + index.bytes.size() - kIdxTrailer - large) / 8;
  std::vector<std::uint64_t> offset_of(index.count);
  for (std::uint32_t i = 0; i < index.count; ++i) {
    std::uint64_t offset = be32(offsets + std::size_t{i} * 4);
    if (offset & 0x80000000u) {
      const std::uint64_t slot = offset & 0x7fffffffu;
      if (slot >= large_count) {
        error = "index offset out of range";
        return std::nullopt;
      }
      offset = be64(large + slot * 8);
    }
    if (offset < kPackHeader || offset >= table.data_end) {
      error = "index offset out of range";
      return std::nullopt;
    }
    offset_of[i] = offset;
  }
  std::vector<std::uint32_t> order = by_offset(offset_of);
  std::vector<std::uint32_t> entry_of_idx(index.count);
  table.entries.resize(index.count);
  for (std::uint32_t e = 0; e < index.count; ++e) {
    if (e > 0 && offset_of[order[e]] == offset_of[order[e - 1]]) {
      error = "two index entries at one pack offset";
      return std::nullopt;
    }
    table.entries[e].offset = offset_of[order[e]];
    entry_of_idx[order[e]] = e;
  }
  offset_of = {};
  order = {};

  // Headers, in pack order.
  std::vector<std::uint64_t> ofs_base(index.count, 0);
  for (std::uint32_t e = 0; e < index.count; ++e) {
    map.read_to(table.entries[e].offset + kMaxEntryHeader);
    if (!parse_header(map.data(), index, entry_of_idx, table, e, ofs_base)) {
      table.entries[e].type = EntryType::bad;  // never rebuilt: a wanted blob here goes to the fallback
      table.entries[e].base = kNone;
      ++stats.damaged;
    }
  }
  for (std::uint32_t e = 0; e < index.count; ++e) {
    Entry& entry = table.entries[e];
    if (entry.type != EntryType::ofs_delta) continue;
    const auto it = std::lower_bound(table.entries.begin(), table.entries.begin() + e, ofs_base[e],
                                     [](const Entry& x, std::uint64_t off) { return x.offset < off; });
    entry.base = it != table.entries.begin() + e && it->offset == ofs_base[e]
                     ? static_cast<std::uint32_t>(it - table.entries.begin())
                     : kNone;
  }
  // Children lists in pack order: prepend walking backwards.
  for (std::uint32_t e = index.count; e-- > 0;) {
    Entry& entry = table.entries[e];
    if (entry.base == kNone || entry.base == e) continue;
    entry.next_sibling = table.entries[entry.base].first_child;
    table.entries[entry.base].first_child = e;
  }
  table.idx_oids.resize(index.count);
  std::memcpy(table.idx_oids.data(), index.oid(0), std::size_t{index.count} * kOidSize);
  table.entry_of_idx = std::move(entry_of_idx);
  return table;
}

void mark_wanted(PackTable& table, std::span<const ObjectId> wanted, const std::vector<std::uint8_t>& done) {
  for (Entry& entry : table.entries) {
    entry.wanted = kNone;
    entry.needed = false;
  }
  // Wanted ids and index ids are both sorted: one merge. (A damaged index out
  // of order only makes this miss ids, which then go to the fallback.)
  const std::size_t count = table.entry_of_idx.size();
  for (std::size_t w = 0, i = 0; w < wanted.size() && i < count;) {
    const int cmp = std::memcmp(wanted[w].data(), table.idx_oids[i].data(), kOidSize);
    if (cmp == 0) {
      if (!done[w]) table.entries[table.entry_of_idx[i]].wanted = static_cast<std::uint32_t>(w);
      ++w;
      ++i;
    } else if (cmp < 0) {
      ++w;
    } else {
      ++i;
    }
  }
  // Mark the path from each wanted entry up to its root. Marking before
  // climbing ends the climb on a REF_DELTA cycle.
  for (std::uint32_t e = 0; e < table.entries.size(); ++e) {
    if (table.entries[e].wanted == kNone) continue;
    for (std::uint32_t at = e; at != kNone && !table.entries[at].needed; at = table.entries[at].base)
      table.entries[at].needed = true;
  }
}

}  // namespace sentryscan::git::pack
