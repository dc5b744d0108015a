// Turning raw bytes into the text the matcher sees.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sentryscan {

// UTF-16 (LE or BE, with BOM) -> UTF-8; nullopt when there is no UTF-16 BOM.
// Unpaired surrogates become U+FFFD so nothing downstream sees broken UTF-8.
std::optional<std::string> utf16_to_utf8(std::string_view bytes);

// UTF-16 without a byte order mark (PowerShell and .NET dumps, some registry
// exports), told from its zero bytes: at least 8 units of ASCII text whose
// other byte is zero (`k\0=\0...` little-endian, `\0k\0=...` big-endian),
// either after NUL bytes that pad it (the order is then the parity of the
// first non-NUL byte: units start at even offsets) or where the first NUL
// byte is (ASCII may stand in front: `url=` before percent-decoded text).
// Transcoded up to a NUL unit or the end; `begin`/`end` are the bytes it took.
struct Utf16Text {
  std::string text;
  std::size_t begin = 0, end = 0;
};
std::optional<Utf16Text> utf16_without_bom_to_utf8(std::string_view bytes);

// Every unit of `bytes` (a whole number of units) is ASCII text in UTF-16
// without a byte order mark, one order throughout: the start test above, for
// a few decoded bytes of base64.
bool utf16_ascii_units(std::string_view bytes);

// Appends the UTF-8 encoding of one code point.
void append_utf8(std::string& out, char32_t code_point);

// Git's heuristic: a NUL byte in the first 8000 bytes means binary.
bool looks_binary(std::string_view bytes);

}  // namespace sentryscan
