// The byte layout of git's index file (Documentation/gitformat-index.txt in
// git), shared by the two readers that parse it themselves: the cache-tree
// reader (cache_tree.h) and the sparse-index expander (sparse_index.h).
// Every read is bounds-checked by its caller against the file's end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/user_file.h"

namespace sentryscan::git::index_format {

inline constexpr std::size_t kOidBytes = 20;  // SHA-1; libgit2 1.5 opens no other kind of repository
inline constexpr std::size_t kHeaderBytes = 12;
inline constexpr std::size_t kEntryFixedBytes = 62;  // ten 32-bit stat fields, the object id, 16-bit flags
inline constexpr std::uint16_t kExtendedFlag = 0x4000;

inline std::uint32_t big_endian_32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | u[3];
}

inline std::uint16_t big_endian_16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint16_t>((u[0] << 8) | u[1]);
}

// Version 4 prefix compression: how many bytes of the previous path to drop,
// in git's offset varint (each continuation adds one before shifting).
inline bool read_varint(std::string_view file, std::size_t& pos, std::size_t end, std::uint64_t& out) {
  if (pos >= end) return false;
  auto c = static_cast<unsigned char>(file[pos++]);
  std::uint64_t value = c & 0x7f;
  while (c & 0x80) {
    if (pos >= end || value >= (std::uint64_t{1} << 56)) return false;
    c = static_cast<unsigned char>(file[pos++]);
    value = ((value + 1) << 7) | (c & 0x7f);
  }
  out = value;
  return true;
}

// The whole index file, or nullopt when it cannot be read.
inline std::optional<std::string> read_index_bytes(const std::string& path) {
  UserFile file = read_user_file(path);
  if (!file.ok()) return std::nullopt;
  return std::move(file.text);
}

}  // namespace sentryscan::git::index_format
