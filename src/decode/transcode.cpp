#include "decode/transcode.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace sentryscan {
void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

char16_t unit_at(std::string_view bytes, std::size_t i, bool little) {
  const auto lo = static_cast<unsigned char>(bytes[i]), hi = static_cast<unsigned char>(bytes[i + 1]);
  return little ? static_cast<char16_t>(lo | (hi << 8)) : static_cast<char16_t>(hi | (lo << 8));
}

bool ascii_text_byte(unsigned char c) { return (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t'; }

// Units from `from` up to `to` as UTF-8; returns where it stopped. With
// `stop_at_nul`, a NUL unit ends the text; with `stop_at_ascii_pair`, so does
// a unit of two ASCII text bytes (one-byte text follows), whose first byte
// is kept as a character, as is a last lone ASCII byte.
std::size_t transcode_units(std::string_view bytes, std::size_t from, std::size_t to, bool little, bool stop_at_nul,
                            std::string& out, bool stop_at_ascii_pair = false) {
  // Written through a pointer into room for the worst case (3 bytes per
  // unit), then cut to size: per-character push_back cost ~80 instructions a
  // unit, four times the scan of the text that comes out (callgrind).
  const std::size_t base = out.size();
  out.resize(base + (to > from ? (to - from) / 2 * 3 + 1 : 1));
  char* const start = out.data() + base;
  char* p = start;
  auto put = [&p](char32_t cp) {
    if (cp < 0x80) {
      *p++ = static_cast<char>(cp);
    } else if (cp < 0x800) {
      *p++ = static_cast<char>(0xC0 | (cp >> 6));
      *p++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *p++ = static_cast<char>(0xE0 | (cp >> 12));
      *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *p++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *p++ = static_cast<char>(0xF0 | (cp >> 18));
      *p++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *p++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
  };
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t lo_at = little ? 0 : 1, hi_at = little ? 1 : 0;
  std::size_t i = from;
  bool done = false;
  while (i + 1 < to && !done) {
    // ASCII, the usual case, one byte out per unit, in locals the compiler
    // keeps in registers (`put` takes `p` by reference).
    if (!stop_at_ascii_pair) {
      char* q = p;
      std::size_t j = i;
      for (; j + 1 < to; j += 2) {
        const unsigned char lo = data[j + lo_at], hi = data[j + hi_at];
        if (hi != 0 || lo == 0 || lo >= 0x80) break;
        *q++ = static_cast<char>(lo);
      }
      p = q;
      i = j;
      if (i + 1 >= to) break;
    }
    const char16_t unit = unit_at(bytes, i, little);
    if (unit == 0 && stop_at_nul) break;
    if (stop_at_ascii_pair && ascii_text_byte(data[i]) && ascii_text_byte(data[i + 1])) {
      *p++ = static_cast<char>(data[i]);
      i += 1;
      done = true;
      break;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < to) {
      const char16_t next = unit_at(bytes, i + 2, little);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        put(0x10000 + ((static_cast<char32_t>(unit) - 0xD800) << 10) + (next - 0xDC00));
        i += 4;
        continue;
      }
    }
    put((unit >= 0xD800 && unit <= 0xDFFF) ? 0xFFFD : unit);
    i += 2;
  }
  if (!done && stop_at_ascii_pair && i + 1 == to && ascii_text_byte(data[i])) {
    *p++ = static_cast<char>(data[i]);
    i = to;
  }
  out.resize(base + static_cast<std::size_t>(p - start));
  return std::min(i, to);
}

// The unit at bytes[i] is ASCII text: the text byte on its side, zero on the other.
bool ascii_unit(std::string_view bytes, std::size_t i, bool little) {
  const auto lo = static_cast<unsigned char>(bytes[i + (little ? 0 : 1)]);
  const auto hi = static_cast<unsigned char>(bytes[i + (little ? 1 : 0)]);
  return hi == 0 && ascii_text_byte(lo);
}

}  // namespace

std::optional<std::string> utf16_to_utf8(std::string_view bytes) {
  if (bytes.size() < 2) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
  bool little;
  if (b0 == 0xFF && b1 == 0xFE) little = true;
  else if (b0 == 0xFE && b1 == 0xFF) little = false;
  else return std::nullopt;
  std::string out;
  transcode_units(bytes, 2, bytes.size(), little, false, out);
  return out;
}

std::optional<Utf16Text> utf16_without_bom_to_utf8(std::string_view bytes) {
  // 8 units: random bytes pass with odds below 1e-20, as for UTF-16 found
  // by its byte order mark inside a stream (archive.cpp, utf16_text_at).
  constexpr std::size_t kUnits = 8;
  auto text_at = [&](std::size_t begin, bool little) {
    if (bytes.size() < begin || bytes.size() - begin < 2 * kUnits) return false;
    for (std::size_t k = 0; k < kUnits; ++k)
      if (!ascii_unit(bytes, begin + 2 * k, little)) return false;
    return true;
  };
  std::size_t first = 0;
  while (first < bytes.size() && bytes[first] == '\0') ++first;
  if (first == bytes.size()) return std::nullopt;
  std::optional<std::pair<std::size_t, bool>> found;  // where, little-endian
  bool after_ascii = false;
  if (first > 0) {
    // Padded: units start at even offsets, so the first text byte's parity is the order.
    const bool little = first % 2 == 0;
    if (text_at(little ? first : first - 1, little)) found = {little ? first : first - 1, little};
  } else if (const void* nul = std::memchr(bytes.data(), '\0', bytes.size())) {
    // ASCII in front (a `key=` before the text): the text's first unit holds
    // the first NUL. Whether the byte before that NUL belongs to the text
    // (little-endian) or the byte after the last NUL (big-endian) cannot be
    // told from ASCII: the first is taken, and the text ends where a unit is
    // two ASCII bytes, keeping the first of them. Either way every character
    // is there, with at most one ASCII neighbour too, never a garbage one.
    const auto z = static_cast<std::size_t>(static_cast<const char*>(nul) - bytes.data());
    if (text_at(z - 1, true)) found = {z - 1, true};
    else if (text_at(z, false)) found = {z, false};
    after_ascii = found && found->first > 0;  // else little-endian text from the first byte
  }
  if (!found) return std::nullopt;
  Utf16Text out;
  out.begin = found->first;
  out.end = transcode_units(bytes, found->first, bytes.size(), found->second, true, out.text, after_ascii);
  return out;
}

bool utf16_ascii_units(std::string_view bytes) {
  if (bytes.size() < 2) return false;
  const bool little = bytes[0] != '\0';
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2)
    if (!ascii_unit(bytes, i, little)) return false;
  return true;
}

bool looks_binary(std::string_view bytes) {
  return std::memchr(bytes.data(), '\0', std::min<std::size_t>(bytes.size(), 8000)) != nullptr;
}

}  // namespace sentryscan
