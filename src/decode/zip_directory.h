// The text a zip listing shows (`unzip -l`, `unzip -z`, `zipinfo`): entry
// names and comments, and the archive comment. libarchive hands neither
// comment, so they are read here from the central directory.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "decode/archive.h"

namespace sentryscan::decode {

// Names (in the central directory and in each local header it points to),
// entry comments and the archive comment of the zip in `bytes`, located in
// it. Every length and offset is checked against the bytes: a damaged or
// hostile directory yields what could be read, never a read past the end.
std::vector<TextField> zip_text_fields(std::string_view bytes, std::uint64_t max_entries);

// A zip that ends `bytes` (its End Of Central Directory record within the
// last 64 KiB + 22 bytes, where a zip comment may put it) but may start
// later than they do: a self-extracting stub, or anything else, in front.
// Its offsets are relative to its own start, so that start is where the
// central directory really lies minus the offset the record gives for it.
// `begin` is that start, `end` the end of the record and its comment.
struct ZipExtent {
  std::size_t begin = 0;
  std::size_t end = 0;
};
std::optional<ZipExtent> zip_at_end(std::string_view bytes);

}  // namespace sentryscan::decode
