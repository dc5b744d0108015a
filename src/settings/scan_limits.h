// How much the scanner does: worker count and the limits that bound its work
// on one file or blob. Resolved once (settings/settings.h) and handed to the
// Scanner and the sources.
#pragma once

#include <cstdint>

#include "core/default_limits.h"

namespace sentryscan {


struct ScanLimits {
  unsigned threads = 1;
  std::uint64_t max_file_size = kDefaultMaxFileSize;      // also the cap on one archive entry
  unsigned max_decode_depth = 2;                          // nested encodings undone; 0 scans text as written
  unsigned max_archive_depth = 3;                         // nested archives expanded; 0 scans archives as bytes
  std::uint64_t max_archive_size = kDefaultMaxArchiveSize;  // bytes expanded per file or blob
  std::uint64_t max_archive_entries = 100000;             // archive entries per file or blob
};

}  // namespace sentryscan
