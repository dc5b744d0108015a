#include "validate/transfer.h"

#include <fmt/format.h>

#include <cctype>
#include <new>
#include <stdexcept>
#include <string_view>

#include "core/base64.h"

#ifndef SENTRYSCAN_VERSION
#define SENTRYSCAN_VERSION "0.0.0"
#endif

namespace sentryscan::validate {
namespace {

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != std::tolower(static_cast<unsigned char>(name[i])))
      return false;
  return true;
}

std::string header_value(std::string_view line, std::string_view name) {
  auto value = line.substr(name.size() + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
  return std::string(value.substr(0, 64));  // only numbers and dates are read from it
}

void check(CURLcode code) {
  // Only reached for options this build of libcurl must support; the message is static.
  if (code != CURLE_OK) throw std::runtime_error(fmt::format("libcurl rejected an option: {}", curl_easy_strerror(code)));
}

}  // namespace

Transfer::Transfer(CURLM* multi, const RequestTarget& target, const std::string& secret,
                   const ValidationSettings& settings)
    : multi_(multi), base_(target.base), timeout_seconds_(settings.timeout_seconds), easy_(make_easy_handle()) {
  CURL* e = easy_.get();
  const long timeout_ms = static_cast<long>(settings.timeout_seconds * 1000.0);
  check(curl_easy_setopt(e, CURLOPT_URL, target.url.c_str()));
  check(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https"));
  check(curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L));
  check(curl_easy_setopt(e, CURLOPT_HTTPGET, 1L));
  check(curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L));
  check(curl_easy_setopt(e, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED)));
  check(curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L));
  check(curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L));
  if (!settings.ca_cert.empty()) check(curl_easy_setopt(e, CURLOPT_CAINFO, settings.ca_cert.c_str()));
  check(curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms));
  check(curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms));
  check(curl_easy_setopt(e, CURLOPT_USERAGENT, "sentryscan/" SENTRYSCAN_VERSION));
  // The cookie engine stays off (no CURLOPT_COOKIEFILE), so nothing is stored or sent.

  // Built here rather than with CURLOPT_USERPWD/XOAUTH2 so the credential is
  // only ever in this header, never in the URL or in curl's auth machinery.
  if (target.auth == AuthScheme::basic_api_key)
    headers_.append("Authorization: Basic " + base64_encode(secret + ":"));
  else
    headers_.append("Authorization: Bearer " + secret);
  headers_.append("Accept: application/json");
  check(curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers_.get()));

  check(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_body));
  check(curl_easy_setopt(e, CURLOPT_WRITEDATA, this));
  check(curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::on_header));
  check(curl_easy_setopt(e, CURLOPT_HEADERDATA, this));
  check(curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_));

  if (curl_multi_add_handle(multi_, e) != CURLM_OK) throw std::runtime_error("libcurl could not start a request");
}

Transfer::~Transfer() { curl_multi_remove_handle(multi_, easy_.get()); }

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  const std::size_t bytes = size * count;
  if (transfer->body_.size() + bytes > kMaxBody) {
    transfer->body_too_large_ = true;
    return 0;  // aborts the transfer: no Sentry answer to these endpoints is this big
  }
  transfer->body_.append(data, bytes);
  return bytes;
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  const std::string_view line(data, size * count);
  if (header_is(line, "Retry-After")) transfer->retry_after_ = header_value(line, "Retry-After");
  if (header_is(line, "X-Sentry-Rate-Limit-Reset"))
    transfer->rate_limit_reset_ = header_value(line, "X-Sentry-Rate-Limit-Reset");
  return size * count;
}

HttpAnswer Transfer::answer() const {
  HttpAnswer answer;
  curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &answer.status);
  answer.body = body_;
  answer.retry_after = retry_after_;
  answer.rate_limit_reset = rate_limit_reset_;
  return answer;
}

Validation Transfer::failure(CURLcode code) const {
  long status = 0;
  curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
  const std::string reason = error_[0] ? std::string(error_) : std::string(curl_easy_strerror(code));
  std::string detail;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      detail = fmt::format("no answer from {} within {:g} s", base_, timeout_seconds_);
      break;
    case CURLE_WRITE_ERROR:
      detail = body_too_large_ ? fmt::format("the answer from {} was larger than {} KiB", base_, kMaxBody / 1024)
                               : fmt::format("request to {} failed: {}", base_, reason);
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      detail = fmt::format("cannot resolve the host of {}: {}", base_, reason);
      break;
    case CURLE_COULDNT_CONNECT:
      detail = fmt::format("cannot connect to {}: {}", base_, reason);
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      detail = fmt::format("TLS error with {}: {}", base_, reason);
      break;
    default:
      detail = fmt::format("request to {} failed: {}", base_, reason);
  }
  return Validation{ValidationStatus::unknown, static_cast<int>(status), detail};
}

}  // namespace sentryscan::validate
