#include "core/user_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/file_descriptor.h"

namespace sentryscan {

bool UserFile::missing() const { return error == ENOENT || error == ENOTDIR; }

std::string UserFile::error_text() const { return std::strerror(error); }

UserFile read_user_file(const std::filesystem::path& path) {
  UserFile result;
  // O_NONBLOCK: opening a FIFO that has no writer must not hang the run.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  struct stat st {};
  if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) {
    result.error = errno;
    return result;
  }
  if (S_ISDIR(st.st_mode)) {
    result.error = EISDIR;
    return result;
  }
  // Pipes (`--baseline <(...)`) are read to the end; a FIFO without a writer reads as empty.
  if (!S_ISREG(st.st_mode)) ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      result.error = errno;
      result.text.clear();
      return result;
    }
    result.text.append(buffer, static_cast<std::size_t>(n));
  }
  return result;
}

std::string_view strip_bom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

}  // namespace sentryscan
