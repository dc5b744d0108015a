#include "support/fake_tokens.h"

#include <fmt/format.h>

#include "core/base64.h"
#include "core/secret_hash.h"

namespace sentryscan::testing {

std::string fake_hex(std::string_view seed, std::size_t length) {
  std::string out;
  for (int round = 0; out.size() < length; ++round) out += sha256_hex(fmt::format("{}#{}", seed, round));
  return out.substr(0, length);
}

std::string fake_org_token(std::string_view seed, const OrgTokenSpec& spec) {
  const std::string url = spec.url == "null" ? "null" : fmt::format("\"{}\"", spec.url);
  const std::string json = fmt::format(R"({{"iat":{:.6f},"url":{},"region_url":"{}","org":"{}"}})", spec.iat, url,
                                       spec.region_url, spec.org);
  // 32 random bytes -> 43 base64 chars without padding, low bits of the last zero.
  std::string raw;
  const std::string hex = fake_hex(seed, 64);
  for (std::size_t i = 0; i < 64; i += 2) raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  std::string secret = base64_encode(raw);
  secret.pop_back();  // the single '=' of 32 bytes
  return "sntrys_" + base64_encode(json) + "_" + secret;
}

std::string fake_prefixed_token(std::string_view prefix, std::string_view seed) {
  return std::string(prefix) + fake_hex(seed, 64);
}

std::string fake_user_token(std::string_view seed) { return fake_prefixed_token("sntryu_", seed); }

std::string fake_dsn(std::string_view seed, std::string_view host, std::string_view project) {
  return fmt::format("https://{}@{}/{}", fake_hex(seed, 32), host, project);
}

}  // namespace sentryscan::testing
