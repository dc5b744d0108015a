// .sentryscan.toml (SPEC 2, Config file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/severity.h"

namespace sentryscan {

struct ValidateConfig {
  std::vector<std::string> sentry_urls;  // self-hosted base URLs the user allows
  std::optional<double> timeout_seconds;
  std::optional<unsigned> concurrency;
  std::optional<unsigned> max_requests;
  std::optional<std::string> ca_cert;
  std::optional<std::string> cache_file;
  std::optional<double> cache_ttl_hours;
};

struct Config {
  std::optional<Severity> fail_on;
  std::vector<std::string> exclude;
  std::optional<std::uint64_t> max_file_size;
  ValidateConfig validate;
};

// Throws InputError with the file and line for malformed TOML, unknown keys
// (named) and values of the wrong type.
Config parse_config(std::string_view toml_text, std::string_view origin);
Config load_config(const std::filesystem::path& path);

// Paths in a config file (ca_cert, cache_file) are relative to the file's
// directory, not to wherever sentryscan was started.
void make_paths_relative_to(Config& config, const std::filesystem::path& base);


}  // namespace sentryscan
