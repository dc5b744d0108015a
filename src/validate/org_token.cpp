#include "validate/org_token.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/base64.h"

namespace sentryscan::validate {
namespace {

bool truthy(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>() != 0;
  if (value.is_string()) return !value.get<std::string>().empty();
  if (value.is_boolean()) return value.get<bool>();
  return !value.is_null();
}

std::string iso_time(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 32503680000.0) return {};
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace

std::optional<TokenInfo> decode_org_token(std::string_view token) {
  constexpr std::string_view kPrefix = "sntrys_";
  if (!token.starts_with(kPrefix) || std::count(token.begin(), token.end(), '_') != 2) return std::nullopt;
  const auto body = token.substr(kPrefix.size());
  const auto sep = body.find('_');
  const auto payload = body.substr(0, sep);
  const auto secret = body.substr(sep + 1);
  if (secret.size() != 43 || !std::all_of(secret.begin(), secret.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '+' || c == '/';
      }))
    return std::nullopt;
  const auto decoded = base64_decode(payload, /*require_padding=*/true);
  if (!decoded) return std::nullopt;
  const auto json = nlohmann::json::parse(*decoded, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains("iat") || !truthy(json["iat"])) return std::nullopt;

  TokenInfo info;
  if (const auto it = json.find("org"); it != json.end() && it->is_string()) info.org = it->get<std::string>();
  if (const auto it = json.find("region_url"); it != json.end() && it->is_string())
    info.region_url = it->get<std::string>();
  if (const auto it = json.find("url"); it != json.end() && it->is_string())
    info.url = it->get<std::string>();
  else
    info.url = std::nullopt;  // null, missing or not a string: nothing to route by
  if (json["iat"].is_number()) info.issued_at = iso_time(json["iat"].get<double>());
  return info;
}

}  // namespace sentryscan::validate
