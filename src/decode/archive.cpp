#include "decode/archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <fmt/format.h>

#include <array>
#include <memory>

#include "core/c_handle.h"
#include "decode/zip_directory.h"

namespace sentryscan::decode {
namespace {

using ReadArchive = CHandle<archive, archive_read_free>;

bool starts_with(std::string_view bytes, std::string_view magic) { return bytes.substr(0, magic.size()) == magic; }

std::string human_size(std::uint64_t bytes) {
  if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (1ull << 10) && bytes % (1ull << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

// A compression filter compiled into libarchive. Anything else (ARCHIVE_WARN:
// "will use an external program") is refused: a scanner spawns no helpers.
// The filter is appended, not offered for bidding: bidding goes on after the
// first filter, so a gzip stream whose content starts with another gzip
// stream was decompressed twice, and whatever followed the inner stream
// (text after it, as `gunzip` shows) was lost.
bool enable_filter(archive* handle, ArchiveKind kind) {
  switch (kind) {
    case ArchiveKind::gzip: return archive_read_append_filter(handle, ARCHIVE_FILTER_GZIP) == ARCHIVE_OK;
    case ArchiveKind::bzip2: return archive_read_append_filter(handle, ARCHIVE_FILTER_BZIP2) == ARCHIVE_OK;
    case ArchiveKind::xz: return archive_read_append_filter(handle, ARCHIVE_FILTER_XZ) == ARCHIVE_OK;
    case ArchiveKind::zstd: return archive_read_append_filter(handle, ARCHIVE_FILTER_ZSTD) == ARCHIVE_OK;
    default: return true;
  }
}

std::string_view filter_extension(int code) {
  switch (code) {
    case ARCHIVE_FILTER_GZIP: return "gz";
    case ARCHIVE_FILTER_BZIP2: return "bz2";
    case ARCHIVE_FILTER_XZ: return "xz";
    case ARCHIVE_FILTER_ZSTD: return "zst";
    default: return "";
  }
}

std::string_view filter_extension_of(ArchiveKind kind) {
  switch (kind) {
    case ArchiveKind::gzip: return "gz";
    case ArchiveKind::bzip2: return "bz2";
    case ArchiveKind::xz: return "xz";
    case ArchiveKind::zstd: return "zst";
    default: return "";
  }
}

std::string_view kind_name(ArchiveKind kind) {
  switch (kind) {
    case ArchiveKind::zip: return "zip";
    case ArchiveKind::tar: return "tar";
    case ArchiveKind::gzip: return "gzip";
    case ArchiveKind::bzip2: return "bzip2";
    case ArchiveKind::xz: return "xz";
    case ArchiveKind::zstd: return "zstd";
    case ArchiveKind::none: break;
  }
  return "";
}

std::string format_label(archive* handle, ArchiveKind kind) {
  const int format = archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK;
  const std::string_view extension = filter_extension(archive_filter_code(handle, 0));
  if (format == ARCHIVE_FORMAT_ZIP) return "zip";
  if (format == ARCHIVE_FORMAT_TAR) return extension.empty() ? "tar" : fmt::format("tar.{}", extension);
  return std::string(kind_name(kind));
}

// The name of the one file inside `app.js.gz`: "app.js".
std::string stream_entry_name(std::string_view path) {
  const std::size_t slash = path.find_last_of("/!");
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  // .tgz and its kin hold a tar: the decompressed stream is `x.tar`.
  for (std::string_view extension : {".tgz", ".tbz2", ".tbz", ".txz", ".tzst"}) {
    if (name.size() > extension.size() && name.ends_with(extension))
      return fmt::format("{}.tar", name.substr(0, name.size() - extension.size()));
  }
  for (std::string_view extension : {".gz", ".gzip", ".bz2", ".xz", ".zst", ".zstd", ".z"}) {
    if (name.size() > extension.size() && name.ends_with(extension)) return std::string(name.substr(0, name.size() - extension.size()));
  }
  return "data";
}

std::string entry_name(archive_entry* entry) {
  const char* name = archive_entry_pathname_utf8(entry);
  if (!name) name = archive_entry_pathname(entry);
  std::string_view view = name ? name : "";
  while (view.starts_with("./")) view.remove_prefix(2);
  while (view.starts_with("/")) view.remove_prefix(1);
  return std::string(view);
}

std::string error_text(archive* handle) {
  const char* text = archive_error_string(handle);
  return text ? text : "unknown error";
}

// Counts `bytes` more expanded; false (and a problem) when a limit is crossed.
bool charge(ArchiveBudget& budget, const ArchiveLimits& limits, std::uint64_t bytes, ExpandResult& result) {
  budget.expanded += bytes;
  std::string reason;
  if (budget.expanded > limits.max_total) {
    reason = fmt::format("more than {} expanded from one file (--max-archive-size)", human_size(limits.max_total));
  } else if (budget.expanded > limits.ratio_floor && budget.expanded / std::max<std::uint64_t>(budget.input, 1) > limits.max_ratio) {
    reason = fmt::format("it expands to more than {} times its size (a zip bomb?)", limits.max_ratio);
  } else {
    return true;
  }
  budget.exhausted = true;
  result.problems.push_back({true, "", fmt::format("archive expansion stopped at limit: {}; the rest was not scanned", reason)});
  return false;
}

}  // namespace

ArchiveKind sniff_archive(std::string_view bytes) {
  if (starts_with(bytes, "PK\x03\x04") || starts_with(bytes, "PK\x05\x06") || starts_with(bytes, "PK\x07\x08"))
    return ArchiveKind::zip;
  if (starts_with(bytes, "\x1f\x8b\x08")) return ArchiveKind::gzip;
  if (bytes.size() >= 10 && starts_with(bytes, "BZh") && bytes[3] >= '1' && bytes[3] <= '9' &&
      starts_with(bytes.substr(4), "\x31\x41\x59\x26\x53\x59"))
    return ArchiveKind::bzip2;
  if (starts_with(bytes, std::string_view("\xFD" "7zXZ\0", 6))) return ArchiveKind::xz;
  if (starts_with(bytes, "\x28\xB5\x2F\xFD")) return ArchiveKind::zstd;
  if (bytes.size() >= 512 && bytes.substr(257, 5) == "ustar") return ArchiveKind::tar;
  return ArchiveKind::none;
}

bool compressed_stream(ArchiveKind kind) {
  return kind == ArchiveKind::gzip || kind == ArchiveKind::bzip2 || kind == ArchiveKind::xz || kind == ArchiveKind::zstd;
}

namespace {

// The names of a tar header (path, link target), located in `bytes` from
// the header on: a 100-character name fills its field and runs into the
// octal mode field after it, so in the raw bytes a token ending it has no end.
void add_tar_texts(std::string_view bytes, archive* handle, archive_entry* entry, std::vector<TextField>& out) {
  const la_int64_t header = archive_read_header_position(handle);
  if (header < 0 || static_cast<std::uint64_t>(header) >= bytes.size()) return;
  for (const char* text : {archive_entry_pathname(entry), archive_entry_symlink(entry), archive_entry_hardlink(entry)}) {
    if (!text || !*text) continue;
    const std::string_view view(text);
    const std::size_t at = bytes.find(view, static_cast<std::size_t>(header));
    if (at != std::string_view::npos) {
      out.push_back({at, at + view.size(), std::string(view)});
    } else {
      out.push_back({static_cast<std::size_t>(header), static_cast<std::size_t>(header) + 1, std::string(view)});
    }
  }
}

// Which libarchive formats read the bytes.
enum class Formats {
  archive,      // zip, or tar (with raw beside it when compressed: a stream that holds no tar)
  stream_only,  // raw alone: the decompressed stream, whatever it holds
};

// With `formats` stream_only, the stream is moved into `*stream` rather than handed to `on_entry`.
ExpandResult read_entries(std::string_view bytes, ArchiveKind kind, std::string_view path, const ArchiveLimits& limits,
                          ArchiveBudget& budget, const std::function<void(const ArchiveEntry&)>& on_entry,
                          Formats formats, std::string* stream = nullptr) {
  ExpandResult result;
  result.format = kind_name(kind);
  ReadArchive handle(archive_read_new());
  if (!handle) throw std::bad_alloc();
  bool supported = enable_filter(handle.get(), kind);
  if (formats == Formats::stream_only) {
    archive_read_support_format_raw(handle.get());
  } else if (kind == ArchiveKind::zip) {
    archive_read_support_format_zip(handle.get());
  } else {
    archive_read_support_format_tar(handle.get());
    // Past the end-of-archive blocks, on to a concatenated tar's files
    // (`tar --concatenate`, `cat a.tar b.tar`), as `tar -i` reads them.
    archive_read_set_format_option(handle.get(), "tar", "read_concatenated_archives", "1");
    // A compressed file that holds no tar is one stream: libarchive's "raw".
    if (kind != ArchiveKind::tar) archive_read_support_format_raw(handle.get());
  }
  if (!supported) {
    result.damaged = true;
    result.problems.push_back({false, "", fmt::format("{} is not supported by this libarchive: not expanded", result.format)});
    return result;
  }
  if (archive_read_open_memory(handle.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    result.damaged = true;
    result.problems.push_back({false, "", fmt::format("damaged archive: {}", error_text(handle.get()))});
    return result;
  }

  std::string buffer;
  std::array<char, 64 * 1024> block;
  bool first_header = true;
  // Offsets in `bytes` mean something only when no filter stands between.
  bool positions = false;
  while (!budget.exhausted) {
    archive_entry* entry = nullptr;
    const int status = archive_read_next_header(handle.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) {
      result.damaged = true;
      result.problems.push_back({false, "", fmt::format("damaged archive after {} entries: {}", result.entries, error_text(handle.get()))});
      break;
    }
    if (first_header) {
      first_header = false;
      // A compression signature that libarchive's filter then refused: raw
      // would hand back the same bytes, signature and all, forever.
      if (kind != ArchiveKind::zip && kind != ArchiveKind::tar && archive_filter_code(handle.get(), 0) == ARCHIVE_FILTER_NONE) {
        result.damaged = true;
        result.problems.push_back({false, "", fmt::format("damaged archive: not a valid {} stream", result.format)});
        break;
      }
      result.format = format_label(handle.get(), kind);
      result.single_stream = (archive_format(handle.get()) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_RAW;
      positions = !result.single_stream && archive_filter_code(handle.get(), 0) == ARCHIVE_FILTER_NONE;
    }
    if (++budget.entries > limits.max_entries) {
      budget.exhausted = true;
      result.problems.push_back({true, "", fmt::format("archive expansion stopped at limit: more than {} entries; the rest was not scanned", limits.max_entries)});
      break;
    }
    if (positions && kind == ArchiveKind::tar) add_tar_texts(bytes, handle.get(), entry, result.texts);
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const std::string name = result.single_stream ? stream_entry_name(path) : entry_name(entry);
    if (archive_entry_is_encrypted(entry)) {
      result.problems.push_back({false, name, "encrypted archive entry: not scanned"});
      continue;
    }
    // After the header, libarchive stands at the entry's data (for a zip,
    // seeked to it through the central directory); after the data, at its end.
    const la_int64_t data_begin = positions ? archive_filter_bytes(handle.get(), 0) : 0;
    // Read in blocks, counting every byte, so a lying header cannot make us
    // allocate or expand more than the limits allow.
    buffer.clear();
    bool too_large = false, broken = false;
    for (;;) {
      const la_ssize_t got = archive_read_data(handle.get(), block.data(), block.size());
      if (got == 0) break;
      if (got < 0) {
        broken = true;
        break;
      }
      if (!charge(budget, limits, static_cast<std::uint64_t>(got), result)) break;
      if (buffer.size() + static_cast<std::size_t>(got) > limits.max_entry_size) too_large = true;
      if (too_large) {
        std::string().swap(buffer);
      } else {
        buffer.append(block.data(), static_cast<std::size_t>(got));
      }
    }
    if (budget.exhausted) break;
    if (broken) {
      result.damaged = true;
      result.problems.push_back({false, name, fmt::format("damaged archive entry: {}; not scanned", error_text(handle.get()))});
      break;
    }
    if (too_large) {
      ++result.too_large;
      result.problems.push_back({true, name, fmt::format("archive entry larger than --max-file-size ({} bytes): not scanned", limits.max_entry_size)});
      continue;
    }
    ArchiveEntry handed{name, buffer, result.single_stream};
    const la_int64_t data_end = positions ? archive_filter_bytes(handle.get(), 0) : 0;
    if (data_begin >= 0 && data_end > data_begin && static_cast<std::uint64_t>(data_end) <= bytes.size()) {
      handed.raw_begin = static_cast<std::size_t>(data_begin);
      handed.raw_end = static_cast<std::size_t>(data_end);
    }
    ++result.entries;
    if (stream && formats == Formats::stream_only) {
      stream->swap(buffer);
      break;
    }
    on_entry(handed);
  }
  return result;
}

// A .tar.gz (.tar.xz...) whose decompressed content is too large to hold:
// its files are streamed as before, but the bytes around them are not scanned.
ExpandResult expand_large_stream(std::string_view bytes, ArchiveKind kind, std::string_view path,
                                 const ArchiveLimits& limits, ArchiveBudget& budget,
                                 const std::function<void(const ArchiveEntry&)>& on_entry, const std::string& reason) {
  ExpandResult result = read_entries(bytes, kind, path, limits, budget, on_entry, Formats::archive);
  // A single stream that large is reported as an entry too large, or as the limit it crossed.
  if (!result.single_stream && !budget.exhausted)
    result.problems.push_back({true, "", fmt::format("decompressed content {}: only the files of its tar archive "
                                                     "were scanned, not the bytes around them", reason)});
  return result;
}

}  // namespace

ExpandResult expand_archive(std::string_view bytes, std::string_view path, const ArchiveLimits& limits,
                            ArchiveBudget& budget, const std::function<void(const ArchiveEntry&)>& on_entry) {
  const ArchiveKind kind = sniff_archive(bytes);
  if (!compressed_stream(kind)) {
    ExpandResult result = read_entries(bytes, kind, path, limits, budget, on_entry, Formats::archive);
    if (kind == ArchiveKind::zip) result.texts = zip_text_fields(bytes, limits.max_entries);
    return result;
  }

  // The stream first, whole, as `gunzip` would write it. Handing it to
  // libarchive's tar reader straight away let the tar reader decide what the
  // content is: 512 zero bytes are its end-of-archive block, so a stream
  // starting with them was an empty tar and nothing in it was scanned.
  const ArchiveBudget before = budget;
  std::string stream;
  ExpandResult result = read_entries(bytes, kind, path, limits, budget, on_entry, Formats::stream_only, &stream);
  if (result.entries == 0) {
    if (result.too_large == 0 && !budget.exhausted) return result;  // damaged, or not supported
    // Too large to hold whole: that partial copy is dropped and the stream
    // read again, its tar's files one at a time, up to the limits.
    const std::string reason = result.too_large > 0
                                   ? fmt::format("larger than --max-file-size ({} bytes)", limits.max_entry_size)
                                   : std::string("past an expansion limit");
    budget = before;
    return expand_large_stream(bytes, kind, path, limits, budget, on_entry, reason);
  }
  const std::string name = stream_entry_name(path);
  if (sniff_archive(stream) != ArchiveKind::tar) {
    on_entry(ArchiveEntry{name, stream, true});
    return result;
  }
  ArchiveEntry whole_tar{name, stream, false};
  whole_tar.whole_stream = true;
  // The tar's files are charged as they are read from the copy: the copy
  // itself is not counted twice.
  budget.expanded = before.expanded;
  ExpandResult tar = read_entries(stream, ArchiveKind::tar, path, limits, budget, on_entry, Formats::archive);
  tar.format = fmt::format("tar.{}", filter_extension_of(kind));
  tar.problems.insert(tar.problems.begin(), result.problems.begin(), result.problems.end());
  whole_tar.texts = &tar.texts;
  on_entry(whole_tar);
  tar.texts.clear();  // they locate text in the stream, not in `bytes`
  return tar;
}

std::string_view archive_suffix(std::string_view finding_path, std::string_view scanned_path) {
  if (finding_path.size() > scanned_path.size() && finding_path.starts_with(scanned_path) &&
      finding_path[scanned_path.size()] == '!')
    return finding_path.substr(scanned_path.size());
  return {};
}

}  // namespace sentryscan::decode
