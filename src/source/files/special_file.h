// Paths that are not regular files or directories: FIFOs (a named one, or
// the pipe behind `<(cmd)` and /dev/stdin), sockets and devices.
//
// One the user names on the command line is read as a stream, like `-`; one
// met inside a directory walk is never opened (a FIFO nobody writes to would
// block the walk) but counted and named (file_walker.cpp).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "source/files/file_reader.h"

namespace sentryscan {

// A named FIFO that has had nothing written to it (and no writer closing it)
// for this long is reported instead of being waited for forever: with no
// writer, nothing would ever end the read. Pipes (`<(cmd)`, /dev/stdin) and
// devices are waited for like standard input: their writer exists.
inline constexpr int kFifoFirstDataSeconds = 10;

// "FIFO", "socket", "character device"... for messages.
const char* special_file_kind(mode_t mode);

// Reads the FIFO, pipe or device at `path` to its end (at most max_size + 1
// bytes, then ReadStatus::too_large). ReadStatus::error carries why it could
// not be read (a socket, a silent FIFO...).
ReadOutcome read_named_stream(const std::string& path, std::uint64_t max_size, ReadBuffer& buffer);

}  // namespace sentryscan
