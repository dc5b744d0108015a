#include "core/secret_hash.h"

#include <openssl/evp.h>

#include <array>

namespace sentryscan {

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

std::string fingerprint(std::string_view rule_id, std::string_view secret) {
  std::string material;
  material.reserve(rule_id.size() + 1 + secret.size());
  material.append(rule_id).push_back('\n');
  material.append(secret);
  return "sentryscan:v1:" + sha256_hex(material).substr(0, 32);
}

std::string redact(std::string_view secret) {
  constexpr std::size_t kHead = 10, kTail = 4;
  if (secret.size() >= 3 * (kHead + kTail)) {
    return std::string(secret.substr(0, kHead)) + "…" + std::string(secret.substr(secret.size() - kTail));
  }
  const std::size_t keep = secret.size() / 3;
  const std::size_t head = (keep + 1) / 2, tail = keep / 2;
  return std::string(secret.substr(0, head)) + "…" + std::string(secret.substr(secret.size() - tail));
}

}  // namespace sentryscan
