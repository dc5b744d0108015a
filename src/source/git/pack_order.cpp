#include "source/git/pack_order.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>

namespace sentryscan::git {
namespace {

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::uint64_t be64(const unsigned char* p) { return (std::uint64_t{be32(p)} << 32) | be32(p + 4); }

constexpr std::size_t kHeader = 8, kFanout = 256 * 4, kTrailer = 2 * GIT_OID_RAWSZ;

}  // namespace

std::vector<std::filesystem::path> pack_index_files(git_repository* repo) {
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::path(git_repository_commondir(repo)) / "objects" / "pack";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".idx") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

PackOrder::PackOrder(git_repository* repo) {
  for (const auto& file : pack_index_files(repo)) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {};
    if (fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(kHeader + kFanout + kTrailer)) {
      ::close(fd);
      continue;
    }
    const std::size_t size = static_cast<std::size_t>(st.st_size);
    void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) continue;
    Index index;
    index.base = static_cast<const unsigned char*>(map);
    index.size = size;
    // Version 2 only ("\377tOc", 2): every pack git has written since 2008.
    const bool v2 = std::memcmp(index.base, "\377tOc", 4) == 0 && be32(index.base + 4) == 2;
    index.count = v2 ? be32(index.base + kHeader + 255 * 4) : 0;
    const std::size_t tables = kHeader + kFanout + std::size_t{index.count} * (GIT_OID_RAWSZ + 4 + 4);
    if (!v2 || tables + kTrailer > size) {
      munmap(map, size);
      continue;
    }
    index.oids = index.base + kHeader + kFanout;
    index.offsets = index.oids + std::size_t{index.count} * (GIT_OID_RAWSZ + 4);
    index.large_offsets = index.base + tables;
    index.large_count = (size - tables - kTrailer) / 8;
    indexes_.push_back(index);
  }
}

PackOrder::~PackOrder() {
  for (const auto& index : indexes_) munmap(const_cast<unsigned char*>(index.base), index.size);
}

std::pair<std::uint32_t, std::uint64_t> PackOrder::position(const git_oid& oid) const {
  for (std::uint32_t pack = 0; pack < indexes_.size(); ++pack) {
    const Index& index = indexes_[pack];
    const unsigned first = oid.id[0];
    std::uint32_t lo = first == 0 ? 0 : be32(index.base + kHeader + (first - 1) * 4);
    std::uint32_t hi = be32(index.base + kHeader + first * 4);
    hi = std::min(hi, index.count);
    while (lo < hi) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      const int cmp = std::memcmp(index.oids + std::size_t{mid} * GIT_OID_RAWSZ, oid.id, GIT_OID_RAWSZ);
      if (cmp == 0) {
        const std::uint32_t offset = be32(index.offsets + std::size_t{mid} * 4);
        if (!(offset & 0x80000000u)) return {pack, offset};
        const std::size_t large = offset & 0x7fffffffu;
        return {pack, large < index.large_count ? be64(index.large_offsets + large * 8) : 0};
      }
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  }
  return {static_cast<std::uint32_t>(indexes_.size()), 0};
}

}  // namespace sentryscan::git
