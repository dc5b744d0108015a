// Reading one file or stream into a reusable buffer, without blocking on
// FIFOs or devices and without trusting the size stat() reported.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sentryscan {

enum class ReadStatus { ok, not_regular, too_large, vanished, error };

struct ReadOutcome {
  ReadStatus status = ReadStatus::ok;
  std::uint64_t size = 0;  // bytes read, or the size that was too large
  std::string error;       // strerror text for ReadStatus::error
};

// Reads the file at `path` into `buffer` (resized to the content). Opens with
// O_NOFOLLOW unless `follow_symlink`, and O_NONBLOCK so a FIFO never blocks.
ReadOutcome read_regular_file(const std::string& path, std::uint64_t max_size, bool follow_symlink,
                              std::vector<char>& buffer);

// The same for `name` relative to the open directory `dir_fd` (AT_FDCWD: the
// working directory), so files below paths longer than PATH_MAX can be read.
ReadOutcome read_regular_file_at(int dir_fd, const char* name, std::uint64_t max_size, bool follow_symlink,
                                 std::vector<char>& buffer);

// Reads a whole stream (standard input) up to max_size.
ReadOutcome read_stream(int fd, std::uint64_t max_size, std::vector<char>& buffer);

}  // namespace sentryscan
