// .sentryscan.toml (SPEC 2, Config file). Strict: an unknown key or a value
// of the wrong type is an error naming the key and its line, because a typo
// in a CI gate's config must not silently fall back to a default.
#include "settings/config_file.h"
#include "settings/size.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <array>
#include <climits>
#include <cmath>
#include <string>

#include "settings/base_url.h"
#include "core/user_file.h"
#include "core/input_error.h"

namespace sentryscan {
namespace {

constexpr std::array<std::string_view, 4> kTopLevelKeys = {"fail_on", "exclude", "max_file_size", "validate"};
constexpr std::array<std::string_view, 7> kValidateKeys = {"sentry_urls", "timeout_seconds", "concurrency",
                                                           "max_requests", "ca_cert", "cache_file",
                                                           "cache_ttl_hours"};

// Keys are user text: a token pasted as a bare key must not reach the log whole.
std::string shown(std::string_view key) {
  if (key.size() <= 24) return std::string(key);
  return std::string(key.substr(0, 10)) + "...";
}

// toml++ quotes the text it choked on ("'0x...' is not representable in 64
// bits"), and that text may be a pasted credential: shorten each quote.
// An unclosed quote runs to the end.
std::string shorten_quotes(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '\'') {
      out += text[i++];
      continue;
    }
    const std::size_t close = std::min(text.find('\'', i + 1), text.size());
    out += "'" + shown(text.substr(i + 1, close - i - 1)) + "'";
    i = close + 1;
  }
  return out;
}

std::string normalized(std::string_view key) {
  std::string out;
  for (const char c : key) out += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <std::size_t N>
std::string known_keys_hint(std::string_view key, const std::array<std::string_view, N>& known) {
  const std::string candidate = normalized(key);
  for (const auto k : known)
    if (candidate == k) return fmt::format("; did you mean '{}'?", k);
  return fmt::format("; known keys: {}", fmt::join(known, ", "));
}

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& message) const {
    throw InputError(origin_, where.begin.line, message);
  }

  std::string string(const toml::node& node, const std::string& name, const char* what) const {
    const auto* value = node.as_string();
    if (!value) fail(node.source(), fmt::format("'{}' must be {}", name, what));
    return value->get();
  }

  std::string non_empty_string(const toml::node& node, const std::string& name) const {
    std::string value = string(node, name, "a string");
    if (value.empty()) fail(node.source(), fmt::format("'{}' must not be empty", name));
    return value;
  }

  double positive_number(const toml::node& node, const std::string& name) const {
    double value = 0;
    if (const auto* i = node.as_integer()) value = static_cast<double>(i->get());
    else if (const auto* f = node.as_floating_point()) value = f->get();
    else fail(node.source(), fmt::format("'{}' must be a number", name));
    if (!std::isfinite(value) || value <= 0) fail(node.source(), fmt::format("'{}' must be a number greater than 0", name));
    return value;
  }

  unsigned integer_in(const toml::node& node, const std::string& name, std::int64_t low, std::int64_t high) const {
    const auto* value = node.as_integer();
    if (!value) fail(node.source(), fmt::format("'{}' must be an integer", name));
    if (value->get() < low || value->get() > high)
      fail(node.source(), fmt::format("'{}' must be between {} and {}", name, low, high));
    return static_cast<unsigned>(value->get());
  }

  std::vector<std::string> string_array(const toml::node& node, const std::string& name, const char* example) const {
    const auto* array = node.as_array();
    if (!array) fail(node.source(), fmt::format("'{}' must be an array of strings, e.g. {}", name, example));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < array->size(); ++i) out.push_back(non_empty_string((*array)[i], fmt::format("{}[{}]", name, i)));
    return out;
  }

  template <std::size_t N>
  [[noreturn]] void unknown_key(const toml::key& key, const toml::node& node, std::string_view section,
                                const std::array<std::string_view, N>& known) const {
    const auto& where = key.source().begin.line ? key.source() : node.source();
    const std::string in_section = section.empty() ? "" : fmt::format(" in [{}]", section);
    fail(where, fmt::format("unknown key '{}'{}{}", shown(key.str()), in_section, known_keys_hint(key.str(), known)));
  }

  Severity severity(const toml::node& node, const std::string& name) const {
    const auto parsed = parse_severity(string(node, name, "a string: low, medium, high or critical"));
    if (!parsed) fail(node.source(), fmt::format("'{}' must be one of low, medium, high, critical", name));
    return *parsed;
  }

  std::uint64_t size(const toml::node& node, const std::string& name) const {
    const char* const expected = "a positive size such as \"50MiB\", \"512k\" or a number of bytes";
    if (const auto* i = node.as_integer()) {
      if (i->get() <= 0) fail(node.source(), fmt::format("'{}' must be {}", name, expected));
      return static_cast<std::uint64_t>(i->get());
    }
    const auto parsed = parse_size(string(node, name, expected));
    if (!parsed) fail(node.source(), fmt::format("'{}' must be {}", name, expected));
    return *parsed;
  }

  ValidateConfig validate(const toml::node& node) const {
    const auto* table = node.as_table();
    if (!table) fail(node.source(), "'validate' must be a table ([validate])");
    ValidateConfig out;
    for (auto&& [key, value] : *table) {
      const std::string name = fmt::format("validate.{}", key.str());
      if (key == "sentry_urls") {
        out.sentry_urls = string_array(value, name, "[\"https://sentry.example.com\"]");
        const auto& array = *value.as_array();
        for (std::size_t i = 0; i < out.sentry_urls.size(); ++i)
          if (const auto problem = validate::base_url_problem(out.sentry_urls[i]))
            fail(array[i].source(), fmt::format("'{}[{}]': {}", name, i, *problem));
      } else if (key == "timeout_seconds") {
        out.timeout_seconds = positive_number(value, name);
      } else if (key == "concurrency") {
        out.concurrency = integer_in(value, name, 1, 64);
      } else if (key == "max_requests") {
        out.max_requests = integer_in(value, name, 1, UINT_MAX);
      } else if (key == "ca_cert") {
        out.ca_cert = non_empty_string(value, name);
      } else if (key == "cache_file") {
        out.cache_file = non_empty_string(value, name);
      } else if (key == "cache_ttl_hours") {
        out.cache_ttl_hours = positive_number(value, name);
      } else {
        unknown_key(key, value, "validate", kValidateKeys);
      }
    }
    return out;
  }

 private:
  std::string origin_;
};

}  // namespace

Config parse_config(std::string_view toml_text, std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    // Shortened before it is cut, so a long quote cannot lose its closing mark.
    const std::string description = shorten_quotes(e.description()).substr(0, 160);
    // The most common slip: `fail_on = high` without quotes.
    const char* const hint =
        description.find("could not determine value type") != std::string_view::npos ? " (is a string missing its quotes?)" : "";
    throw InputError(std::string(origin), e.source().begin.line,
                     fmt::format("invalid TOML: {}{}", description, hint));
  }
  const Reader reader{std::string(origin)};
  Config config;
  for (auto&& [key, value] : root) {
    if (key == "fail_on") {
      config.fail_on = reader.severity(value, "fail_on");
    } else if (key == "exclude") {
      config.exclude = reader.string_array(value, "exclude", "[\"vendor/**\", \"*.min.js\"]");
    } else if (key == "max_file_size") {
      config.max_file_size = reader.size(value, "max_file_size");
    } else if (key == "validate") {
      config.validate = reader.validate(value);
    } else {
      reader.unknown_key(key, value, "", kTopLevelKeys);
    }
  }
  return config;
}

void make_paths_relative_to(Config& config, const std::filesystem::path& base) {
  auto resolve = [&](std::optional<std::string>& value) {
    if (value && !base.empty() && std::filesystem::path(*value).is_relative()) value = (base / *value).string();
  };
  resolve(config.validate.ca_cert);
  resolve(config.validate.cache_file);
}

Config load_config(const std::filesystem::path& path) {
  const UserFile file = read_user_file(path);
  if (!file.ok()) throw InputError(path.string(), 0, "cannot read config file: " + file.error_text());
  Config config = parse_config(strip_bom(file.text), path.string());
  // Paths in the file are relative to the file, not to wherever sentryscan was started.
  make_paths_relative_to(config, path.parent_path());
  return config;
}

}  // namespace sentryscan
