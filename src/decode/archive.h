// Archives and compressed files (project issue 7), expanded in memory with
// libarchive: never written to disk, entries streamed one at a time, every
// byte counted against limits so a zip bomb is stopped, not obeyed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sentryscan::decode {

// Recognised by signature, never by file name (.jar, .apk, .whl... are zips).
enum class ArchiveKind { none, zip, tar, gzip, bzip2, xz, zstd };

ArchiveKind sniff_archive(std::string_view bytes);

struct ArchiveLimits {
  std::uint64_t max_entry_size = 50ull << 20;  // --max-file-size: larger entries are skipped and reported
  std::uint64_t max_total = 256ull << 20;      // --max-archive-size: bytes expanded per scanned file or blob
  std::uint64_t max_entries = 100000;          // entries per scanned file or blob
  // Expanding more than `max_ratio` times the scanned file's size, past
  // `ratio_floor` bytes, is a bomb: ordinary text compresses 3-20x.
  std::uint64_t max_ratio = 200;
  std::uint64_t ratio_floor = 16ull << 20;
};

// What every archive inside one scanned file or blob has used so far, nested
// archives included. Once `exhausted`, nothing more of that file is expanded.
struct ArchiveBudget {
  std::uint64_t input = 0;  // size of the scanned file or blob
  std::uint64_t expanded = 0;
  std::uint64_t entries = 0;
  bool exhausted = false;
};

struct ArchiveEntry {
  std::string_view name;  // path inside the archive; for a compressed file, the file's name without .gz etc.
  std::string_view data;  // valid during the callback only
  bool single_stream = false;  // the one stream of a compressed file: `name` is made up
};

// Something the user must hear about. `entry` is empty when it concerns the archive itself.
struct ArchiveProblem {
  bool incomplete = false;  // content was not scanned (exit 3); otherwise a warning
  std::string entry;
  std::string message;  // never contains archive content
};

struct ExpandResult {
  std::string format;          // "zip", "tar", "tar.gz", "gzip", "xz"...
  bool single_stream = false;  // a compressed file (one unnamed stream), not an archive
  bool damaged = false;        // libarchive gave up part-way; entries before that were handed over
  std::uint64_t entries = 0;   // entries handed to the callback
  std::vector<ArchiveProblem> problems;
};

// Streams each regular file of the archive in `bytes` to `on_entry`, which
// may expand nested archives with the same budget. `path` names the archive
// (for a compressed file it gives the entry's name).
ExpandResult expand_archive(std::string_view bytes, std::string_view path, const ArchiveLimits& limits,
                            ArchiveBudget& budget, const std::function<void(const ArchiveEntry&)>& on_entry);

// The `!inner/path` that archive expansion appended to `scanned_path` in a
// finding's path ("" when the finding is not inside an archive). Sources that
// rewrite a finding's path (git: the path that introduced the blob) keep this.
std::string_view archive_suffix(std::string_view finding_path, std::string_view scanned_path);

}  // namespace sentryscan::decode
