#include "decode/zip_directory.h"

#include <cstdint>
#include <cstring>
#include <optional>

namespace sentryscan::decode {
namespace {

constexpr std::string_view kEndOfDirectory = "PK\x05\x06";
constexpr std::string_view kZip64Locator = "PK\x06\x07";
constexpr std::string_view kZip64End = "PK\x06\x06";
constexpr std::string_view kDirectoryEntry = "PK\x01\x02";
constexpr std::string_view kLocalHeader = "PK\x03\x04";
constexpr std::size_t kEndSize = 22;        // EOCD record without its comment
constexpr std::size_t kDirectorySize = 46;  // central directory header without its variable fields
constexpr std::size_t kLocalSize = 30;      // local file header without its variable fields
constexpr std::uint32_t kZip64Marker = 0xFFFFFFFF;

// Little-endian integer of `width` bytes at `at`, when it lies inside `bytes`.
std::optional<std::uint64_t> number(std::string_view bytes, std::uint64_t at, int width) {
  if (at > bytes.size() || bytes.size() - at < static_cast<std::size_t>(width)) return std::nullopt;
  std::uint64_t value = 0;
  for (int i = width - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

bool signature_at(std::string_view bytes, std::uint64_t at, std::string_view signature) {
  return at <= bytes.size() && bytes.substr(at, signature.size()) == signature;
}

// `length` bytes at `at`, cut at the end of the bytes; nothing when empty.
void add(std::vector<TextField>& out, std::string_view bytes, std::uint64_t at, std::uint64_t length) {
  if (at >= bytes.size() || length == 0) return;
  const std::size_t end = static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), at + length));
  out.push_back({static_cast<std::size_t>(at), end, std::string(bytes.substr(at, end - at))});
}

// The last End Of Central Directory record. Text appended after the zip
// (or a comment whose length lies) does not hide it: the record is searched
// for, not assumed to end the file.
std::optional<std::size_t> find_end(std::string_view bytes) {
  std::size_t at = bytes.rfind(kEndOfDirectory);
  while (at != std::string_view::npos) {
    if (bytes.size() - at >= kEndSize) return at;
    if (at == 0) break;
    at = bytes.rfind(kEndOfDirectory, at - 1);
  }
  return std::nullopt;
}

// Offset of the central directory: from the zip64 record when the classic one says 0xFFFFFFFF.
std::optional<std::uint64_t> directory_offset(std::string_view bytes, std::size_t end) {
  const auto offset = number(bytes, end + 16, 4);
  if (!offset || *offset != kZip64Marker) return offset;
  if (end < 20 || !signature_at(bytes, end - 20, kZip64Locator)) return std::nullopt;
  const auto zip64_end = number(bytes, end - 20 + 8, 8);
  if (!zip64_end || !signature_at(bytes, *zip64_end, kZip64End)) return std::nullopt;
  return number(bytes, *zip64_end + 48, 8);
}

}  // namespace

std::optional<ZipExtent> zip_at_end(std::string_view bytes) {
  // Only the tail can hold the record: ordinary files pay one memrchr of at
  // most 64 KiB, for the record's last signature byte (0x06): text holds
  // none, where a `P` (its first) stopped the search every few lines of
  // code (75 M of the 824 M instructions of a scan of /usr/include).
  constexpr std::size_t kTail = (64u << 10) + kEndSize;
  if (bytes.size() < kEndSize) return std::nullopt;
  const std::size_t tail_begin = bytes.size() > kTail ? bytes.size() - kTail : 0;
  std::size_t limit = bytes.size() - kEndSize + 1;  // a record starts before this
  while (limit > tail_begin) {
    // The signature's 0x06 lies 3 bytes into a record starting in [tail_begin, limit).
    const void* found = memrchr(bytes.data() + tail_begin + 3, kEndOfDirectory[3], limit - tail_begin);
    if (!found) break;
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data()) - 3;
    limit = at;
    if (!signature_at(bytes, at, kEndOfDirectory)) continue;
    const auto size = number(bytes, at + 12, 4), offset = number(bytes, at + 16, 4), comment = number(bytes, at + 20, 2);
    if (!size || !offset || !comment || *offset == kZip64Marker || *size > at) continue;
    const std::size_t directory = at - static_cast<std::size_t>(*size);
    if (*offset > directory) continue;
    if (*size > 0 && !signature_at(bytes, directory, kDirectoryEntry)) continue;
    const std::size_t begin = directory - static_cast<std::size_t>(*offset);
    if (!signature_at(bytes, begin, kLocalHeader) && !(*size == 0 && begin == at)) continue;
    return ZipExtent{begin, static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), at + kEndSize + *comment))};
  }
  return std::nullopt;
}

std::vector<TextField> zip_text_fields(std::string_view bytes, std::uint64_t max_entries) {
  std::vector<TextField> out;
  const std::optional<std::size_t> end = find_end(bytes);
  if (!end) return out;
  if (const auto comment = number(bytes, *end + 20, 2)) add(out, bytes, *end + kEndSize, *comment);
  const std::optional<std::uint64_t> directory = directory_offset(bytes, *end);
  if (!directory) return out;
  // Walk the directory by its signatures, not by the entry count it claims.
  std::uint64_t at = *directory;
  for (std::uint64_t entries = 0; entries < max_entries && signature_at(bytes, at, kDirectoryEntry); ++entries) {
    const auto name = number(bytes, at + 28, 2), extra = number(bytes, at + 30, 2), comment = number(bytes, at + 32, 2);
    const auto local = number(bytes, at + 42, 4);
    if (!name || !extra || !comment || !local || bytes.size() - at < kDirectorySize) break;
    add(out, bytes, at + kDirectorySize, *name);
    add(out, bytes, at + kDirectorySize + *name + *extra, *comment);
    // The local header's own copy of the name: streaming extractors use it, and it may differ.
    if (*local != kZip64Marker && signature_at(bytes, *local, kLocalHeader)) {
      if (const auto local_name = number(bytes, *local + 26, 2)) add(out, bytes, *local + kLocalSize, *local_name);
    }
    at += kDirectorySize + *name + *extra + *comment;
  }
  return out;
}

}  // namespace sentryscan::decode
