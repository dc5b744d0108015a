// One HTTP request to the Sentry API on a curl multi handle, configured the
// only way sentryscan ever sends a credential: GET, TLS verified, no
// redirects, no cookies, no netrc, http(s) only, bounded time and size.
#pragma once

#include <curl/curl.h>

#include <optional>
#include <string>

#include "core/finding.h"
#include "validate/answer.h"
#include "validate/curl_handles.h"
#include "validate/routing.h"
#include "settings/validation.h"

namespace sentryscan::validate {

class Transfer {
 public:
  // Adds itself to `multi`; the destructor removes it again.
  Transfer(CURLM* multi, const RequestTarget& target, const std::string& secret, const ValidationSettings& settings);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy() const { return easy_.get(); }
  // After CURLE_OK: status, body and rate-limit headers.
  HttpAnswer answer() const;
  // After any other result: `unknown` with a reason naming the base, never the secret.
  Validation failure(CURLcode code) const;

  static constexpr std::size_t kMaxBody = 64 * 1024;

 private:
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);

  CURLM* multi_;
  std::string base_;
  double timeout_seconds_;
  EasyHandle easy_;
  HeaderList headers_;
  std::string body_;
  bool body_too_large_ = false;
  std::optional<std::string> retry_after_;
  std::optional<std::string> rate_limit_reset_;
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace sentryscan::validate
