#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sentryscan {

// "50MiB", "10M", "512k", "1GB", "1024" -> bytes (binary multiples). nullopt when malformed.
std::optional<std::uint64_t> parse_size(std::string_view text);

}  // namespace sentryscan
