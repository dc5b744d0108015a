#include "validate/answer.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

namespace sentryscan::validate {
namespace {

Validation result(ValidationStatus status, long http_status, std::string detail) {
  return Validation{status, static_cast<int>(http_status), std::move(detail)};
}

std::optional<nlohmann::json> json_object(const std::string& body) {
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || !(value >= 0)) return std::nullopt;
  return value;
}

AnswerMeaning interpret_ok(AuthScheme auth, const HttpAnswer& answer, const std::string& base) {
  const auto body = json_object(answer.body);
  // A captive portal or proxy also answers 200; only Sentry answers JSON.
  if (!body) return {result(ValidationStatus::unknown, 200, "HTTP 200 without a JSON body (a proxy or captive portal?)")};
  if (auth == AuthScheme::basic_api_key) {
    const auto it = body->find("auth");
    if (it == body->end() || it->is_null())
      return {result(ValidationStatus::unknown, 200,
                     fmt::format("{} answered without authenticating the key (auth is null)", base))};
  }
  return {result(ValidationStatus::live, 200, fmt::format("accepted by {}", base))};
}

}  // namespace

AnswerMeaning interpret_answer(AuthScheme auth, const HttpAnswer& answer, const std::string& base) {
  const long status = answer.status;
  if (status == 200) return interpret_ok(auth, answer, base);
  if (status == 401) return {result(ValidationStatus::revoked, status, fmt::format("rejected by {} (invalid, revoked or expired)", base))};
  if (status == 403) {
    const auto body = json_object(answer.body);
    if (body && body->contains("detail"))
      return {result(ValidationStatus::revoked, status, fmt::format("rejected by {} (invalid, revoked or expired)", base))};
    return {result(ValidationStatus::unknown, status, "HTTP 403 without Sentry's JSON body (a proxy or firewall?)")};
  }
  if (status == 429) return {result(ValidationStatus::unknown, status, fmt::format("rate limited by {}", base)), true};
  if (status >= 300 && status < 400)
    return {result(ValidationStatus::unknown, status, fmt::format("redirect (HTTP {}) not followed", status))};
  if (status >= 500 && status < 600)
    return {result(ValidationStatus::unknown, status, fmt::format("server error HTTP {} from {}", status, base))};
  return {result(ValidationStatus::unknown, status, fmt::format("unexpected HTTP {} from {}", status, base))};
}

std::optional<double> retry_delay_seconds(const HttpAnswer& answer, std::time_t now) {
  if (answer.retry_after) {
    if (const auto seconds = parse_number(*answer.retry_after)) return *seconds;
    const std::time_t when = curl_getdate(answer.retry_after->c_str(), nullptr);
    if (when != -1) return when > now ? static_cast<double>(when - now) : 0.0;
  }
  if (answer.rate_limit_reset) {
    if (const auto reset = parse_number(*answer.rate_limit_reset)) {
      const double wait = *reset - static_cast<double>(now);
      return wait > 0 ? wait : 0.0;
    }
  }
  return std::nullopt;
}

}  // namespace sentryscan::validate
