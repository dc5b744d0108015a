#include "source/files/special_file.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "core/file_descriptor.h"

namespace sentryscan {
namespace {

// An anonymous pipe (process substitution, a piped /dev/stdin) lives on the
// kernel's pipefs, like any pipe this process makes; a named FIFO lives on
// the file system that holds its name.
bool is_anonymous_pipe(const struct stat& st) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  struct stat own {};
  const bool ok = fstat(fds[0], &own) == 0;
  close(fds[0]);
  close(fds[1]);
  return ok && own.st_dev == st.st_dev;
}

// Linux reports neither data nor hang-up on a FIFO until a writer has opened
// it, so this waits for a writer's first bytes or its close.
bool wait_for_writer(int fd) {
  pollfd p{fd, POLLIN, 0};
  int ready;
  do {
    ready = poll(&p, 1, kFifoFirstDataSeconds * 1000);
  } while (ready < 0 && errno == EINTR);
  return ready != 0;
}

}  // namespace

const char* special_file_kind(mode_t mode) {
  if (S_ISFIFO(mode)) return "FIFO";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode)) return "character device";
  if (S_ISBLK(mode)) return "block device";
  if (S_ISLNK(mode)) return "symbolic link";
  return "special file";
}

ReadOutcome read_named_stream(const std::string& path, std::uint64_t max_size, ReadBuffer& buffer) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, unbounded.
  FileDescriptor fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ENOENT) return {ReadStatus::vanished, 0, {}};
    if (errno == ENXIO) return {ReadStatus::error, 0, "a socket cannot be read as a file"};
    return {ReadStatus::error, 0, std::strerror(errno)};
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return {ReadStatus::error, 0, std::strerror(errno)};
  if (S_ISDIR(st.st_mode)) return {ReadStatus::not_regular, 0, {}};
  if (S_ISFIFO(st.st_mode) && !is_anonymous_pipe(st) && !wait_for_writer(fd.get()))
    return {ReadStatus::error, 0,
            fmt::format("FIFO: nothing was written to it within {} s (no writer?)", kFifoFirstDataSeconds)};
  // From here on a slow writer is waited for, as on standard input.
  const int flags = fcntl(fd.get(), F_GETFL);
  if (flags < 0 || fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0)
    return {ReadStatus::error, 0, std::strerror(errno)};
  return read_stream(fd.get(), max_size, buffer);
}

}  // namespace sentryscan
