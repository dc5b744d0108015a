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

// "50MiB", "10M", "512k", "1GB", "1024" -> bytes. nullopt when malformed.
std::optional<std::uint64_t> parse_size(std::string_view text);

}  // namespace sentryscan
