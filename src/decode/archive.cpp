#include "decode/archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <fmt/format.h>

#include <array>
#include <memory>

#include "core/c_handle.h"

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
bool enable_filter(archive* handle, ArchiveKind kind) {
  switch (kind) {
    case ArchiveKind::gzip: return archive_read_support_filter_gzip(handle) == ARCHIVE_OK;
    case ArchiveKind::bzip2: return archive_read_support_filter_bzip2(handle) == ARCHIVE_OK;
    case ArchiveKind::xz: return archive_read_support_filter_xz(handle) == ARCHIVE_OK;
    case ArchiveKind::zstd: return archive_read_support_filter_zstd(handle) == ARCHIVE_OK;
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

ExpandResult expand_archive(std::string_view bytes, std::string_view path, const ArchiveLimits& limits,
                            ArchiveBudget& budget, const std::function<void(const ArchiveEntry&)>& on_entry) {
  ExpandResult result;
  const ArchiveKind kind = sniff_archive(bytes);
  result.format = kind_name(kind);
  ReadArchive handle(archive_read_new());
  if (!handle) throw std::bad_alloc();
  bool supported = enable_filter(handle.get(), kind);
  if (kind == ArchiveKind::zip) {
    archive_read_support_format_zip(handle.get());
  } else {
    archive_read_support_format_tar(handle.get());
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
    }
    if (++budget.entries > limits.max_entries) {
      budget.exhausted = true;
      result.problems.push_back({true, "", fmt::format("archive expansion stopped at limit: more than {} entries; the rest was not scanned", limits.max_entries)});
      break;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const std::string name = result.single_stream ? stream_entry_name(path) : entry_name(entry);
    if (archive_entry_is_encrypted(entry)) {
      result.problems.push_back({false, name, "encrypted archive entry: not scanned"});
      continue;
    }
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
      result.problems.push_back({true, name, fmt::format("archive entry larger than --max-file-size ({} bytes): not scanned", limits.max_entry_size)});
      continue;
    }
    ++result.entries;
    on_entry(ArchiveEntry{name, buffer, result.single_stream});
  }
  return result;
}

std::string_view archive_suffix(std::string_view finding_path, std::string_view scanned_path) {
  if (finding_path.size() > scanned_path.size() && finding_path.starts_with(scanned_path) &&
      finding_path[scanned_path.size()] == '!')
    return finding_path.substr(scanned_path.size());
  return {};
}

}  // namespace sentryscan::decode
