// What an HTTP answer from the Sentry API means (SPEC 3.2). Pure functions:
// the transport hands in status, body and the two rate-limit headers.
#pragma once

#include <ctime>
#include <optional>
#include <string>

#include "core/finding.h"
#include "validate/routing.h"

namespace sentryscan::validate {

struct HttpAnswer {
  long status = 0;
  std::string body;
  std::optional<std::string> retry_after;       // Retry-After: seconds or an HTTP date
  std::optional<std::string> rate_limit_reset;  // X-Sentry-Rate-Limit-Reset: Unix seconds
};

struct AnswerMeaning {
  Validation validation;
  bool rate_limited = false;  // 429: the caller may retry after retry_delay_seconds()
};

// `base` names the server in details. Never copies body text into the detail:
// a hostile server could echo the token back.
AnswerMeaning interpret_answer(AuthScheme auth, const HttpAnswer& answer, const std::string& base);

// Seconds to wait before retrying a 429, from Retry-After (preferred) or
// X-Sentry-Rate-Limit-Reset; nullopt when neither header is usable.
std::optional<double> retry_delay_seconds(const HttpAnswer& answer, std::time_t now);

}  // namespace sentryscan::validate
