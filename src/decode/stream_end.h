// Where an xz or zstd stream ends in bytes that go on after it. libarchive's
// xz and zstd readers read on past the end of a stream and fail on whatever
// follows ("Unrecognized archive format": nothing comes out), so a stream
// put in front of a zip or a tar hid its content. gzip and bzip2 readers
// stop at their stream's end and need none of this.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace sentryscan::decode {

// The end of the xz stream starting `bytes` (its footer, then any stream
// padding and directly concatenated streams, as `xz -d` reads them), found
// by its footer's CRC32 and flags; nothing when no footer matches.
std::optional<std::size_t> xz_stream_end(std::string_view bytes);

// The end of the zstd frames starting `bytes` (skippable frames and
// concatenated frames included), walked block header by block header;
// nothing when a header runs past the bytes or is invalid.
std::optional<std::size_t> zstd_stream_end(std::string_view bytes);

}  // namespace sentryscan::decode
