// Archives and compressed files (project issue 7), expanded in memory with
// libarchive: never written to disk, entries streamed one at a time, every
// byte counted against limits so a zip bomb is stopped, not obeyed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/default_limits.h"

namespace sentryscan::decode {

// Recognised by signature, never by file name (.jar, .apk, .whl... are zips).
enum class ArchiveKind { none, zip, tar, gzip, bzip2, xz, zstd };

ArchiveKind sniff_archive(std::string_view bytes);

// gzip, bzip2, xz or zstd: one stream to decompress (which may hold a tar).
bool compressed_stream(ArchiveKind kind);

struct ArchiveLimits {
  std::uint64_t max_entry_size = kDefaultMaxFileSize;  // --max-file-size: larger entries are skipped and reported
  std::uint64_t max_total = kDefaultMaxArchiveSize;    // --max-archive-size: bytes expanded per scanned file or blob
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

// Text an archive listing shows (a name, a link target, a zip comment), to
// be scanned as text: in the raw bytes a binary field may run into it, and a
// token that runs into letters or digits is not matched. `text` lies at
// [begin, end) of the archive's bytes when end - begin == text.size();
// otherwise (a name libarchive assembled from several headers) it is located at `begin`.
struct TextField {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

struct ArchiveEntry {
  std::string_view name;  // path inside the archive; for a compressed file, the file's name without .gz etc.
  std::string_view data;  // valid during the callback only
  bool single_stream = false;  // the one stream of a compressed file: `name` is made up
  // The whole decompressed tar of a .tar.gz (.tar.xz...), handed after its
  // files, named like `single_stream`: what `gunzip` shows, to scan as bytes
  // (headers, names, text after the tar), not to expand again; `texts` are its names.
  bool whole_stream = false;
  const std::vector<TextField>* texts = nullptr;
  // Where this entry's data (stored or compressed) lies in the bytes it was
  // read from: the archive's, or for a compressed tar the `whole_stream`
  // entry's. raw_begin == raw_end when unknown.
  std::size_t raw_begin = 0;
  std::size_t raw_end = 0;
  // raw_begin/raw_end lie in the decompressed stream handed next as a
  // `whole_stream` entry, not in the bytes handed to expand_archive.
  bool in_stream = false;
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
  std::uint64_t too_large = 0;  // entries skipped for being larger than max_entry_size
  std::vector<ArchiveProblem> problems;
  std::vector<TextField> texts;  // names and comments, in the archive's bytes (a compressed tar's are in its whole_stream entry)
  std::size_t end = 0;  // where a tar's or zip's own bytes end in the bytes read (0: not known)
};

// True when expand_archive has something to expand in `bytes`: an archive or
// stream signature at their start, or a zip ending them (whatever is in front).
bool holds_archive(std::string_view bytes);

// True when `bytes` hold, at any offset, the signature of a supported archive
// or stream, or UTF-16 text with its byte order mark: for bytes known to be a
// container or a stream (a decompressed stream, percent-decoded bytes), never
// for ordinary files.
bool holds_embedded(std::string_view bytes);

// Streams each regular file of the archive in `bytes` to `on_entry`, which
// may expand nested archives with the same budget. `path` names the archive
// (for a compressed file it gives the entry's name). A compressed stream is
// decompressed whole first: when that is a tar, its files are handed, then
// the tar itself as a `whole_stream` entry; otherwise the stream is the one
// `single_stream` entry. A tar ends at its last file, not at its first
// end-of-archive blocks (concatenated tars are read through).
//
// Archives, streams and UTF-16 text need not start the bytes: a zip is also
// found from its end record (a self-extracting stub in front), and outside
// the first archive's own bytes (before it, after it, and in a compressed
// stream or its decompressed content) every signature is tried, its entries
// handed the same way and its UTF-16 text added to `texts`, within the same
// budget. Bytes without a signature at their start are searched whole.
ExpandResult expand_archive(std::string_view bytes, std::string_view path, const ArchiveLimits& limits,
                            ArchiveBudget& budget, const std::function<void(const ArchiveEntry&)>& on_entry);

// The `!inner/path` that archive expansion appended to `scanned_path` in a
// finding's path ("" when the finding is not inside an archive). Sources that
// rewrite a finding's path (git: the path that introduced the blob) keep this.
std::string_view archive_suffix(std::string_view finding_path, std::string_view scanned_path);

}  // namespace sentryscan::decode
