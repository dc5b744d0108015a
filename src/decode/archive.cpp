#include "decode/archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <memory>

#include "core/c_handle.h"
#include "decode/stream_end.h"
#include "decode/transcode.h"
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
    if (positions && kind == ArchiveKind::tar) {
      add_tar_texts(bytes, handle.get(), entry, result.texts);
      const la_int64_t header = archive_read_header_position(handle.get());
      if (header >= 0) result.end = std::max(result.end, static_cast<std::size_t>(header) + 512);
    }
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
      // A tar pads each file's data to whole 512-byte blocks.
      if (kind == ArchiveKind::tar) result.end = std::max(result.end, (handed.raw_end + 511) / 512 * 512);
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

void expand_embedded(std::string_view bytes, std::size_t from, std::size_t to, std::string_view path,
                     const ArchiveLimits& limits, ArchiveBudget& budget,
                     const std::function<void(const ArchiveEntry&)>& on_entry, ExpandResult& result,
                     ArchiveKind members = ArchiveKind::none);

// The archive or stream that starts `bytes`, of `kind`.
ExpandResult expand_at_start(std::string_view bytes, ArchiveKind kind, std::string_view path,
                             const ArchiveLimits& limits, ArchiveBudget& budget,
                             const std::function<void(const ArchiveEntry&)>& on_entry) {
  if (!compressed_stream(kind)) {
    ExpandResult result = read_entries(bytes, kind, path, limits, budget, on_entry, Formats::archive);
    if (kind == ArchiveKind::zip) result.texts = zip_text_fields(bytes, limits.max_entries);
    return result;
  }

  // Bytes after an xz or zstd stream (a zip put behind it) make libarchive's
  // reader fail before it hands out anything: the stream is cut at its end.
  // What follows is searched by the caller, as after a gzip stream.
  const std::optional<std::size_t> stream_end =
      kind == ArchiveKind::xz ? xz_stream_end(bytes) : kind == ArchiveKind::zstd ? zstd_stream_end(bytes) : std::nullopt;
  if (stream_end && *stream_end < bytes.size()) bytes = bytes.substr(0, *stream_end);

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
  auto in_stream = [&on_entry](const ArchiveEntry& entry) {
    ArchiveEntry moved = entry;
    moved.in_stream = true;
    on_entry(moved);
  };
  ExpandResult tar = read_entries(stream, ArchiveKind::tar, path, limits, budget, in_stream, Formats::archive);
  // What the stream holds after the tar (`gunzip` shows it): another archive, UTF-16 text.
  if (tar.end > 0 && tar.end < stream.size())
    expand_embedded(stream, tar.end, stream.size(), path, limits, budget, in_stream, tar);
  tar.format = fmt::format("tar.{}", filter_extension_of(kind));
  tar.problems.insert(tar.problems.begin(), result.problems.begin(), result.problems.end());
  whole_tar.texts = &tar.texts;
  on_entry(whole_tar);
  tar.texts.clear();  // they locate text in the stream, not in `bytes`
  return tar;
}

// UTF-16 text at `at` (its byte order mark, then at least 8 units of ASCII
// text: random bytes pass with odds below 1e-20), up to a NUL unit or `to`,
// as UTF-8; the number of bytes it took.
std::optional<std::pair<std::string, std::size_t>> utf16_text_at(std::string_view bytes, std::size_t at, std::size_t to,
                                                                 std::uint64_t max_size) {
  constexpr std::size_t kUnits = 8;
  if (to - at < 2 + 2 * kUnits) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(bytes[at]), b1 = static_cast<unsigned char>(bytes[at + 1]);
  if (!((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF))) return std::nullopt;
  const bool little = b0 == 0xFF;
  std::size_t end = at + 2;
  for (; end + 1 < to && end - at < max_size; end += 2) {
    const auto lo = static_cast<unsigned char>(bytes[end + (little ? 0 : 1)]);
    const auto hi = static_cast<unsigned char>(bytes[end + (little ? 1 : 0)]);
    if (lo == 0 && hi == 0) break;
    if (end < at + 2 + 2 * kUnits && (hi != 0 || !((lo >= 0x20 && lo < 0x7F) || lo == '\n' || lo == '\r' || lo == '\t')))
      return std::nullopt;
  }
  if (end < at + 2 + 2 * kUnits) return std::nullopt;
  std::optional<std::string> text = utf16_to_utf8(bytes.substr(at, end - at));
  if (!text) return std::nullopt;
  return std::pair{std::move(*text), end - at};
}

// Offsets in [from, to) where an archive or stream signature or a byte order mark starts, ascending.
std::vector<std::size_t> signatures_in(std::string_view bytes, std::size_t from, std::size_t to) {
  std::vector<std::size_t> out;
  if (from >= to) return out;
  auto each = [&](std::string_view needle, std::size_t shift) {
    const std::size_t start = from + shift;
    for (std::size_t at = start; at < to;) {
      const void* found = memmem(bytes.data() + at, to - at, needle.data(), needle.size());
      if (!found) break;
      const std::size_t hit = static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data());
      if (hit - shift >= from) out.push_back(hit - shift);
      at = hit + 1;
    }
  };
  each("PK\x03\x04", 0);
  each("\x1f\x8b\x08", 0);
  each("BZh", 0);
  each(std::string_view("\xFD" "7zXZ\0", 6), 0);
  each("\x28\xB5\x2F\xFD", 0);
  each("ustar", 257);
  each("\xFF\xFE", 0);
  each("\xFE\xFF", 0);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::erase_if(out, [&](std::size_t at) {
    const std::string_view rest = bytes.substr(at, to - at);
    return sniff_archive(rest) == ArchiveKind::none && !utf16_text_at(bytes, at, to, 64);
  });
  return out;
}

// The zip starting at `at`: up to the first end record (and its comment)
// after it whose directory points back to `at`; 0 when there is none.
std::size_t embedded_zip_end(std::string_view bytes, std::size_t at, std::size_t to) {
  const std::string_view rest = bytes.substr(at, to - at);
  for (std::size_t record = rest.find("PK\x05\x06"); record != std::string_view::npos && record + 22 <= rest.size();
       record = rest.find("PK\x05\x06", record + 1)) {
    const std::size_t comment =
        static_cast<unsigned char>(rest[record + 20]) | (static_cast<std::size_t>(static_cast<unsigned char>(rest[record + 21])) << 8);
    const auto zip = zip_at_end(rest.substr(0, std::min(rest.size(), record + 22 + comment)));
    if (zip && zip->begin == 0) return at + zip->end;
  }
  return 0;
}

// Every archive, stream and UTF-16 text that starts in [from, to) of
// `bytes`, expanded in turn from its signature (bytes the previous one took
// are skipped). A signature that does not open (random bytes in compressed
// data) is dropped silently; each try counts as an entry against the budget.
void expand_embedded(std::string_view bytes, std::size_t from, std::size_t to, std::string_view path,
                     const ArchiveLimits& limits, ArchiveBudget& budget,
                     const std::function<void(const ArchiveEntry&)>& on_entry, ExpandResult& result,
                     ArchiveKind members) {
  std::size_t skip = from;
  // UTF-16 without a byte order mark has no signature to search for; it is
  // looked for where the region starts (after an archive and the zero blocks
  // that end it, or after a tar in its stream).
  if (from < to) {
    if (std::optional<Utf16Text> text = utf16_without_bom_to_utf8(bytes.substr(from, to - from))) {
      result.texts.push_back({from + text->begin, from + text->begin + 1, std::move(text->text)});
      if (result.format.empty()) result.format = "utf-16";
      skip = from + text->end;
    }
  }
  for (const std::size_t at : signatures_in(bytes, from, to)) {
    if (budget.exhausted) break;
    if (at < skip) continue;
    if (auto text = utf16_text_at(bytes, at, to, limits.max_entry_size)) {
      result.texts.push_back({at, at + 1, std::move(text->first)});
      if (result.format.empty()) result.format = "utf-16";
      skip = at + text->second;
      continue;
    }
    if (++budget.entries > limits.max_entries) {
      budget.exhausted = true;
      result.problems.push_back({true, "", fmt::format("archive expansion stopped at limit: more than {} entries; the rest was not scanned", limits.max_entries)});
      break;
    }
    std::string_view sub = bytes.substr(at, to - at);
    const ArchiveKind kind = sniff_archive(sub);
    // Further members of the stream being searched (`cat a.gz b.gz`): its reader read them already.
    if (kind == members) continue;
    if (kind == ArchiveKind::zip) {
      const std::size_t end = embedded_zip_end(bytes, at, to);
      if (end > at) sub = bytes.substr(at, end - at);
    }
    const bool shifted = !compressed_stream(kind);
    ExpandResult found = expand_at_start(sub, kind, path, limits, budget, [&](const ArchiveEntry& entry) {
      ArchiveEntry moved = entry;
      if (shifted && !entry.in_stream && entry.raw_end > entry.raw_begin) moved.raw_begin += at, moved.raw_end += at;
      on_entry(moved);
    });
    if (found.entries == 0 && found.texts.empty()) continue;  // not an archive after all
    if (result.format.empty()) result.format = found.format;
    result.entries += found.entries;
    result.too_large += found.too_large;
    result.problems.insert(result.problems.end(), found.problems.begin(), found.problems.end());
    if (shifted)
      for (TextField& field : found.texts) result.texts.push_back({field.begin + at, field.end + at, std::move(field.text)});
    if (kind == ArchiveKind::zip && sub.size() < to - at) skip = at + sub.size();
    else if (kind == ArchiveKind::tar && found.end > 0) skip = at + found.end;
    else skip = at + 1;
  }
}

}  // namespace

bool holds_archive(std::string_view bytes) {
  return sniff_archive(bytes) != ArchiveKind::none || zip_at_end(bytes).has_value();
}

bool holds_embedded(std::string_view bytes) {
  if (holds_archive(bytes)) return true;
  // Text without a NUL byte (most decompressed streams: man pages, logs) is
  // not searched: one memchr instead of eight memmem passes (a 2x cost on a
  // directory of .gz files). Tar headers, zip and xz headers and ASCII UTF-16
  // all hold NULs; a zstd or bzip2 stream inside NUL-free text is not found.
  if (!std::memchr(bytes.data(), '\0', bytes.size())) return false;
  return !signatures_in(bytes, 0, bytes.size()).empty();
}

ExpandResult expand_archive(std::string_view bytes, std::string_view path, const ArchiveLimits& limits,
                            ArchiveBudget& budget, const std::function<void(const ArchiveEntry&)>& on_entry) {
  const ArchiveKind kind = sniff_archive(bytes);
  const std::optional<ZipExtent> zip = zip_at_end(bytes);
  ExpandResult result;
  // The archive's own bytes: [begin, end); signatures are searched outside them.
  std::size_t begin = 0, end = 0;
  if (zip && (zip->begin > 0 || kind == ArchiveKind::zip)) {
    begin = zip->begin;
    end = zip->end;
    const std::string_view own = bytes.substr(begin, end - begin);
    result = expand_at_start(own, ArchiveKind::zip, path, limits, budget, [&](const ArchiveEntry& entry) {
      ArchiveEntry moved = entry;
      if (moved.raw_end > moved.raw_begin) moved.raw_begin += begin, moved.raw_end += begin;
      on_entry(moved);
    });
    for (TextField& field : result.texts) field.begin += begin, field.end += begin;
  } else if (kind != ArchiveKind::none) {
    result = expand_at_start(bytes, kind, path, limits, budget, on_entry);
    // A zip whose end lies too far back, or a damaged archive: its own bytes are not known.
    end = kind == ArchiveKind::tar ? result.end : compressed_stream(kind) ? 1 : bytes.size();
    if (kind == ArchiveKind::tar && end == 0) end = bytes.size();
  }
  result.end = end;
  if (begin > 0) expand_embedded(bytes, 0, begin, path, limits, budget, on_entry, result);
  if (end < bytes.size())
    expand_embedded(bytes, end, bytes.size(), path, limits, budget, on_entry, result,
                    compressed_stream(kind) && begin == 0 && !zip ? kind : ArchiveKind::none);
  return result;
}

std::string_view archive_suffix(std::string_view finding_path, std::string_view scanned_path) {
  if (finding_path.size() > scanned_path.size() && finding_path.starts_with(scanned_path) &&
      finding_path[scanned_path.size()] == '!')
    return finding_path.substr(scanned_path.size());
  return {};
}

}  // namespace sentryscan::decode
