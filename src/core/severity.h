#pragma once

#include <optional>
#include <string_view>

namespace sentryscan {

// Ordered: a comparison says which is worse.
enum class Severity { low = 0, medium = 1, high = 2, critical = 3 };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

}  // namespace sentryscan
