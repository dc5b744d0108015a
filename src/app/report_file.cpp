#include "app/report_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/file_descriptor.h"

namespace sentryscan {
namespace {

std::string reason(int error) { return std::strerror(error); }

std::optional<std::string> write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return reason(n < 0 ? errno : EIO);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return std::nullopt;
}

// A path that does not exist yet: its directory must exist and take new files.
std::optional<std::string> new_file_problem(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string directory = parent.empty() ? std::string(".") : parent.string();
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0) return reason(errno);
  if (!S_ISDIR(info.st_mode)) return reason(ENOTDIR);
  if (::access(directory.c_str(), W_OK | X_OK) != 0) return reason(errno);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> report_file_problem(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return new_file_problem(path);
    return reason(errno);
  }
  if (S_ISDIR(info.st_mode)) return reason(EISDIR);
  // FIFOs and devices (`-o /dev/stderr`, `-o >(gzip >r.gz)`) are opened when
  // written; opening a FIFO here could wait for a reader.
  if (!S_ISREG(info.st_mode)) return std::nullopt;
  // Opened without O_TRUNC: an existing report stays as it is until the scan
  // has something to replace it with.
  const FileDescriptor probe(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY));
  if (probe.get() < 0) return reason(errno);
  return std::nullopt;
}

std::optional<std::string> write_report_file(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0666);
  if (fd < 0) return reason(errno);
  auto problem = write_all(fd, bytes);
  // close() may report a delayed write error (NFS, quota), so it is checked
  // here rather than left to a FileDescriptor.
  if (::close(fd) != 0 && !problem) problem = reason(errno);
  return problem;
}

std::optional<std::string> write_standard_output(std::string_view bytes) { return write_all(STDOUT_FILENO, bytes); }

}  // namespace sentryscan
