#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sentryscan {

// Standard alphabet (A-Z a-z 0-9 + /), with '=' padding.
std::string base64_encode(std::string_view bytes);

// Strict standard-alphabet decoding. Padding is optional when `require_padding`
// is false; returns nullopt on any character outside the alphabet or a bad length.
std::optional<std::string> base64_decode(std::string_view text, bool require_padding = true);

}  // namespace sentryscan
