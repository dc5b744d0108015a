// Turning raw bytes into the text the matcher sees.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sentryscan {

// UTF-16 (LE or BE, with BOM) -> UTF-8; nullopt when there is no UTF-16 BOM.
// Unpaired surrogates become U+FFFD so nothing downstream sees broken UTF-8.
std::optional<std::string> utf16_to_utf8(std::string_view bytes);

// Appends the UTF-8 encoding of one code point.
void append_utf8(std::string& out, char32_t code_point);

// Git's heuristic: a NUL byte in the first 8000 bytes means binary.
bool looks_binary(std::string_view bytes);

}  // namespace sentryscan
