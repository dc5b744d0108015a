// STUB: replaced by the config work.
#include "config/config.h"

namespace sentryscan {

Config parse_config(std::string_view, std::string_view) { return {}; }
Config load_config(const std::filesystem::path&) { return {}; }
std::optional<std::uint64_t> parse_size(std::string_view) { return std::nullopt; }

}  // namespace sentryscan
