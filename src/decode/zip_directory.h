// The text a zip listing shows (`unzip -l`, `unzip -z`, `zipinfo`): entry
// names and comments, and the archive comment. libarchive hands neither
// comment, so they are read here from the central directory.
#pragma once

#include <string_view>
#include <vector>

#include "decode/archive.h"

namespace sentryscan::decode {

// Names (in the central directory and in each local header it points to),
// entry comments and the archive comment of the zip in `bytes`, located in
// it. Every length and offset is checked against the bytes: a damaged or
// hostile directory yields what could be read, never a read past the end.
std::vector<TextField> zip_text_fields(std::string_view bytes, std::uint64_t max_entries);

}  // namespace sentryscan::decode
