#include "decode/stream_end.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace sentryscan::decode {
namespace {

constexpr std::string_view kXzMagic("\xFD" "7zXZ\0", 6);
constexpr std::size_t kXzHeader = 12, kXzFooter = 12;

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = make_crc_table();

std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = kCrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::uint64_t little_endian(std::string_view bytes, std::size_t at, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = width; i-- > 0;) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

// The end of one xz stream at the start of `bytes`: the first "YZ" that ends
// a footer (4-byte aligned, the header's flags, its CRC32 right, an index
// where its backward size says). A false footer in compressed data would
// need a CRC32 to match by chance: odds of 2^-32 per "YZ".
std::optional<std::size_t> one_xz_stream(std::string_view bytes) {
  if (bytes.size() < kXzHeader + kXzFooter || bytes.substr(0, kXzMagic.size()) != kXzMagic) return std::nullopt;
  const std::string_view flags = bytes.substr(6, 2);
  for (std::size_t at = kXzHeader + kXzFooter - 2; at + 2 <= bytes.size();) {
    const void* found = memmem(bytes.data() + at, bytes.size() - at, "YZ", 2);
    if (!found) break;
    const std::size_t yz = static_cast<std::size_t>(static_cast<const char*>(found) - bytes.data());
    at = yz + 1;
    if ((yz + 2) % 4 != 0 || yz < kXzHeader + kXzFooter - 2) continue;
    const std::size_t footer = yz + 2 - kXzFooter;
    if (bytes.substr(footer + 8, 2) != flags) continue;
    if (crc32(bytes.substr(footer + 4, 6)) != little_endian(bytes, footer, 4)) continue;
    const std::uint64_t index_size = (little_endian(bytes, footer + 4, 4) + 1) * 4;
    if (index_size > footer - kXzHeader || bytes[footer - index_size] != '\0') continue;
    return yz + 2;
  }
  return std::nullopt;
}

constexpr std::string_view kZstdMagic("\x28\xB5\x2F\xFD", 4);

bool skippable_frame(std::string_view bytes, std::size_t at) {
  return bytes.size() - at >= 8 && (static_cast<unsigned char>(bytes[at]) & 0xF0) == 0x50 &&
         bytes.substr(at + 1, 3) == std::string_view("\x2A\x4D\x18", 3);
}

// The end of the zstd frame at bytes[at] (RFC 8878: a header, blocks up to
// the one marked last, an optional 4-byte checksum).
std::optional<std::size_t> one_zstd_frame(std::string_view bytes, std::size_t at) {
  if (skippable_frame(bytes, at)) {
    const std::uint64_t size = little_endian(bytes, at + 4, 4);
    if (size > bytes.size() - at - 8) return std::nullopt;
    return at + 8 + static_cast<std::size_t>(size);
  }
  if (bytes.size() - at < 5 || bytes.substr(at, 4) != kZstdMagic) return std::nullopt;
  const auto descriptor = static_cast<unsigned char>(bytes[at + 4]);
  if (descriptor & 0x08) return std::nullopt;  // reserved bit
  const bool single_segment = (descriptor >> 5) & 1;
  constexpr std::array<std::size_t, 4> kDictionaryId = {0, 1, 2, 4};
  const std::array<std::size_t, 4> content_size = {single_segment ? 1u : 0u, 2, 4, 8};
  std::size_t pos = at + 5 + (single_segment ? 0 : 1) + kDictionaryId[descriptor & 3] + content_size[descriptor >> 6];
  for (;;) {
    if (pos > bytes.size() || bytes.size() - pos < 3) return std::nullopt;
    const std::uint64_t header = little_endian(bytes, pos, 3);
    const unsigned type = (header >> 1) & 3;
    if (type == 3) return std::nullopt;
    const std::size_t content = type == 1 ? 1 : static_cast<std::size_t>(header >> 3);
    pos += 3;
    if (content > bytes.size() - pos) return std::nullopt;
    pos += content;
    if (header & 1) break;
  }
  if (descriptor & 0x04) pos += 4;
  if (pos > bytes.size()) return std::nullopt;
  return pos;
}

}  // namespace

std::optional<std::size_t> xz_stream_end(std::string_view bytes) {
  std::optional<std::size_t> end;
  for (std::size_t at = 0;;) {
    const std::optional<std::size_t> stream = one_xz_stream(bytes.substr(at));
    if (!stream) return end;
    at += *stream;
    // Stream padding: null bytes in multiples of four.
    while (bytes.size() - at >= 4 && bytes.substr(at, 4) == std::string_view("\0\0\0\0", 4)) at += 4;
    end = at;
  }
}

std::optional<std::size_t> zstd_stream_end(std::string_view bytes) {
  std::optional<std::size_t> end;
  for (std::size_t at = 0;;) {
    const std::optional<std::size_t> frame = one_zstd_frame(bytes, at);
    if (!frame) return end;
    end = at = *frame;
  }
}

}  // namespace sentryscan::decode
