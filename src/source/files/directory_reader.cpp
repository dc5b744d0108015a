#include "source/files/directory_reader.h"

#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sentryscan {
namespace {

// The kernel's struct linux_dirent64 (getdents64(2)); glibc declares none.
struct LinuxDirent64 {
  std::uint64_t d_ino;
  std::int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[1];
};
constexpr std::size_t kNameOffset = offsetof(LinuxDirent64, d_name);

}  // namespace

DirectoryReader::DirectoryReader(int fd) : fd_(fd) {
  if (fd_.get() < 0) done_ = true;
  else buffer_ = std::make_unique_for_overwrite<char[]>(kBufferSize);
}

const DirectoryEntry* DirectoryReader::next() {
  for (;;) {
    if (at_ < used_) {
      // Records come from the kernel, but are checked like any input: a
      // length that does not fit, or a name without its NUL, ends the listing.
      const char* record = buffer_.get() + at_;
      unsigned short length = 0;
      std::memcpy(&length, record + offsetof(LinuxDirent64, d_reclen), sizeof length);
      if (length <= kNameOffset || length > used_ - at_ ||
          !std::memchr(record + kNameOffset, '\0', length - kNameOffset)) {
        error_ = EIO;
        done_ = true;
        return nullptr;
      }
      at_ += length;
      entry_.name = record + kNameOffset;
      entry_.type = static_cast<unsigned char>(record[offsetof(LinuxDirent64, d_type)]);
      return &entry_;
    }
    if (done_) return nullptr;
    const long n = syscall(SYS_getdents64, fd_.get(), buffer_.get(), kBufferSize);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0) error_ = errno;
      done_ = true;
      return nullptr;
    }
    used_ = static_cast<std::size_t>(n);
    at_ = 0;
  }
}

}  // namespace sentryscan
