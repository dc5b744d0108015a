#include "support/zip_edit.h"

#include <cstdint>
#include <stdexcept>

namespace sentryscan::testing {
namespace {

std::uint32_t read_le(const std::string& bytes, std::size_t at, int width) {
  std::uint32_t value = 0;
  for (int i = width - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes.at(at + i));
  return value;
}

void write_le(std::string& bytes, std::size_t at, int width, std::uint32_t value) {
  for (int i = 0; i < width; ++i) bytes.at(at + i) = static_cast<char>((value >> (8 * i)) & 0xFF);
}

// The End Of Central Directory record of a zip without an archive comment: its last 22 bytes.
std::size_t end_record(const std::string& zip) {
  if (zip.size() < 22) throw std::runtime_error("not a zip");
  const std::size_t at = zip.size() - 22;
  if (zip.compare(at, 4, "PK\x05\x06") != 0) throw std::runtime_error("zip does not end with its EOCD record");
  return at;
}

}  // namespace

std::string with_zip_archive_comment(std::string zip, const std::string& comment) {
  write_le(zip, end_record(zip) + 20, 2, static_cast<std::uint32_t>(comment.size()));
  return zip + comment;
}

std::string with_zip_entry_comment(std::string zip, const std::string& comment) {
  const std::size_t eocd = end_record(zip);
  const std::size_t directory = read_le(zip, eocd + 16, 4);
  if (read_le(zip, eocd + 10, 2) != 1 || zip.compare(directory, 4, "PK\x01\x02") != 0)
    throw std::runtime_error("expected a one-entry zip");
  write_le(zip, directory + 32, 2, static_cast<std::uint32_t>(comment.size()));
  write_le(zip, eocd + 12, 4, read_le(zip, eocd + 12, 4) + static_cast<std::uint32_t>(comment.size()));
  zip.insert(eocd, comment);
  return zip;
}

}  // namespace sentryscan::testing
