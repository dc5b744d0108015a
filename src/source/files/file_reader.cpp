#include "source/files/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/file_descriptor.h"

namespace sentryscan {

void ReadBuffer::reserve(std::size_t bytes) {
  if (bytes <= capacity_) return;
  auto grown = std::make_unique_for_overwrite<char[]>(bytes);
  if (size_ > 0) std::memcpy(grown.get(), bytes_.get(), size_);
  bytes_ = std::move(grown);
  capacity_ = bytes;
}

void ReadBuffer::shrink_if_above(std::size_t bytes) {
  if (capacity_ <= bytes) return;
  bytes_.reset();
  size_ = capacity_ = 0;
}

namespace {

// The first read of a file of unknown size: most source files fit (the median
// file of the sentry-python releases is ~3 KiB), so one read returns all.
constexpr std::size_t kFirstRead = 128 * 1024;

// Reads past buffer.size() until the end or max_size+1 bytes; files may grow
// or shrink while we read. A regular file's short read is its end, so a file
// that fits in the buffer costs one read, not a second one returning 0.
ReadOutcome append_all(int fd, bool regular, std::uint64_t max_size, ReadBuffer& buffer) {
  const std::size_t limit = static_cast<std::size_t>(std::min<std::uint64_t>(max_size, SIZE_MAX - 1)) + 1;
  std::size_t used = buffer.size();
  buffer.reserve(std::min<std::size_t>(std::max<std::size_t>(used + 1, 4096), limit));
  for (;;) {
    if (used == buffer.capacity()) {
      if (used > max_size) return {ReadStatus::too_large, used, {}};
      buffer.set_size(used);
      buffer.reserve(std::min<std::size_t>(buffer.capacity() * 2 + 4096, limit));
    }
    const std::size_t wanted = buffer.capacity() - used;
    const ssize_t n = read(fd, buffer.data() + used, wanted);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return {ReadStatus::not_regular, used, {}};
      return {ReadStatus::error, used, std::strerror(errno)};
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    if (regular && static_cast<std::size_t>(n) < wanted) break;
  }
  if (used > max_size) return {ReadStatus::too_large, used, {}};
  buffer.set_size(used);
  return {ReadStatus::ok, used, {}};
}

// fstat: a regular file's size, or why it cannot be read.
ReadOutcome regular_size(int fd, std::uint64_t max_size) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return {ReadStatus::error, 0, std::strerror(errno)};
  if (!S_ISREG(st.st_mode)) return {ReadStatus::not_regular, 0, {}};
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_size) return {ReadStatus::too_large, size, {}};
  return {ReadStatus::ok, size, {}};
}

}  // namespace

ReadOutcome read_regular_file(const std::string& path, std::uint64_t max_size, bool follow_symlink,
                              ReadBuffer& buffer) {
  return read_regular_file_at(AT_FDCWD, path.c_str(), max_size, follow_symlink, false, buffer);
}

ReadOutcome read_regular_file_at(int dir_fd, const char* name, std::uint64_t max_size, bool follow_symlink,
                                 bool listed_regular, ReadBuffer& buffer) {
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  if (!follow_symlink) flags |= O_NOFOLLOW;
  FileDescriptor fd(openat(dir_fd, name, flags));
  if (fd.get() < 0) {
    if (errno == ENOENT) return {ReadStatus::vanished, 0, {}};
    if (errno == ELOOP) return {ReadStatus::not_regular, 0, {}};
    return {ReadStatus::error, 0, std::strerror(errno)};
  }
  buffer.set_size(0);
  if (listed_regular) {
    // Read first; stat only a file that fills the first read, to size the
    // buffer once and to refuse one over max_size without reading it all.
    buffer.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(kFirstRead, max_size + 1)));
    const std::size_t first = std::min<std::size_t>(buffer.capacity(), kFirstRead);
    ssize_t n;
    do n = read(fd.get(), buffer.data(), first);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (errno == EAGAIN) return {ReadStatus::not_regular, 0, {}};
      return {ReadStatus::error, 0, std::strerror(errno)};
    }
    const auto got = static_cast<std::size_t>(n);
    // Nothing read: an empty file, or a FIFO without a writer swapped in
    // since the listing (O_NONBLOCK reads it as the end). Empty files are
    // rare enough to pay an fstat for telling the two apart.
    if (got == 0) {
      const ReadOutcome size = regular_size(fd.get(), max_size);
      if (size.status != ReadStatus::ok) return size;
    }
    if (got < first && got <= max_size) {
      buffer.set_size(got);
      return {ReadStatus::ok, got, {}};
    }
    const ReadOutcome size = regular_size(fd.get(), max_size);
    if (size.status != ReadStatus::ok) return size;
    buffer.set_size(got);
    buffer.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(size.size, max_size) + 1));
    return append_all(fd.get(), true, max_size, buffer);
  }
  const ReadOutcome size = regular_size(fd.get(), max_size);
  if (size.status != ReadStatus::ok) return size;
  buffer.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(size.size, max_size) + 1));
  return append_all(fd.get(), true, max_size, buffer);
}

ReadOutcome read_stream(int fd, std::uint64_t max_size, ReadBuffer& buffer) {
  buffer.set_size(0);
  buffer.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(1 << 16, max_size + 1)));
  return append_all(fd, false, max_size, buffer);
}

}  // namespace sentryscan
