// The audit's pack reader (src/source/git/pack): a repository's .pack and
// .idx are untrusted bytes, read with hash checks off.
//
// Input: a 4-byte little-endian index length, the .idx, then the .pack. The
// index's copy of the pack checksum is set to the pack's last 20 bytes before
// reading (the reader only compares the two), so mutations reach the entries
// instead of dying at that check. Every id in the index is wanted.
//
// Invariants: no crash, hang or out-of-bounds read (the sanitizers, -timeout);
// a blob is emitted at most once and never larger than the size limit.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz_support.h"
#include "source/git/pack/pack_reader.h"

namespace {

struct MemFile {
  int fd;
  MemFile(const std::uint8_t* data, std::size_t size) : fd(memfd_create("fuzz", MFD_CLOEXEC)) {
    if (fd >= 0 && size > 0 && ::write(fd, data, size) != static_cast<ssize_t>(size)) {
      ::close(fd);
      fd = -1;
    }
  }
  ~MemFile() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sentryscan::git::pack;
  if (size < 4) return 0;
  std::uint32_t idx_size = 0;
  std::memcpy(&idx_size, data, 4);
  data += 4;
  size -= 4;
  if (idx_size > size) return 0;
  std::vector<std::uint8_t> idx(data, data + idx_size);
  const std::uint8_t* pack = data + idx_size;
  const std::size_t pack_size = size - idx_size;
  if (idx.size() >= 40 && pack_size >= 20) std::memcpy(idx.data() + idx.size() - 40, pack + pack_size - 20, 20);

  // Wanted: the ids of the index (bounded), sorted and unique.
  std::vector<ObjectId> wanted;
  const std::size_t table = 8 + 1024;
  for (std::size_t at = table; at + 20 <= idx.size() && wanted.size() < 4096; at += 20) {
    ObjectId id;
    std::memcpy(id.data(), idx.data() + at, 20);
    wanted.push_back(id);
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());

  MemFile idx_file(idx.data(), idx.size()), pack_file(pack, pack_size);
  if (idx_file.fd < 0 || pack_file.fd < 0) return 0;
  ReadOptions options;
  options.threads = 1;
  options.max_object_size = 1u << 20;
  options.max_held_bytes = 4u << 20;
  std::vector<std::uint8_t> done(wanted.size(), 0), seen(wanted.size(), 0);
  read_pack_blobs_fd(pack_file.fd, idx_file.fd, wanted, done, options,
                     [&](unsigned worker, std::size_t i, std::string_view bytes) {
                       FUZZ_CHECK(worker == 0, "worker index within the thread count");
                       FUZZ_CHECK(i < wanted.size(), "emitted index within the wanted list");
                       FUZZ_CHECK(!seen[i], "a blob is emitted once");
                       FUZZ_CHECK(bytes.size() <= options.max_object_size, "emitted blob within the size limit");
                       seen[i] = 1;
                     });
  return 0;
}
