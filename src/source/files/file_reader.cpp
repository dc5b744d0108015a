#include "source/files/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/file_descriptor.h"

namespace sentryscan {
namespace {

// Reads until EOF or max_size+1 bytes; files may grow or shrink while we read.
ReadOutcome read_all(int fd, std::uint64_t expected, std::uint64_t max_size, std::vector<char>& buffer) {
  std::size_t used = 0;
  buffer.resize(static_cast<std::size_t>(std::min<std::uint64_t>(expected, max_size) + 1));
  for (;;) {
    if (used == buffer.size()) {
      if (used > max_size) return {ReadStatus::too_large, used, {}};
      buffer.resize(std::min<std::size_t>(buffer.size() * 2 + 4096, static_cast<std::size_t>(max_size) + 1));
    }
    const ssize_t n = read(fd, buffer.data() + used, buffer.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return {ReadStatus::not_regular, used, {}};
      return {ReadStatus::error, used, std::strerror(errno)};
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_size) return {ReadStatus::too_large, used, {}};
  buffer.resize(used);
  return {ReadStatus::ok, used, {}};
}

}  // namespace

ReadOutcome read_regular_file(const std::string& path, std::uint64_t max_size, bool follow_symlink,
                              std::vector<char>& buffer) {
  return read_regular_file_at(AT_FDCWD, path.c_str(), max_size, follow_symlink, buffer);
}

ReadOutcome read_regular_file_at(int dir_fd, const char* name, std::uint64_t max_size, bool follow_symlink,
                                 std::vector<char>& buffer) {
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  if (!follow_symlink) flags |= O_NOFOLLOW;
  FileDescriptor fd(openat(dir_fd, name, flags));
  if (fd.get() < 0) {
    if (errno == ENOENT) return {ReadStatus::vanished, 0, {}};
    if (errno == ELOOP) return {ReadStatus::not_regular, 0, {}};
    return {ReadStatus::error, 0, std::strerror(errno)};
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return {ReadStatus::error, 0, std::strerror(errno)};
  if (!S_ISREG(st.st_mode)) return {ReadStatus::not_regular, 0, {}};
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_size) return {ReadStatus::too_large, size, {}};
  posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  return read_all(fd.get(), size, max_size, buffer);
}

ReadOutcome read_stream(int fd, std::uint64_t max_size, std::vector<char>& buffer) {
  return read_all(fd, 1 << 16, max_size, buffer);
}

}  // namespace sentryscan
