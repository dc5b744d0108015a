#include "core/secret_hash.h"

// mbedTLS, which libgit2 loads anyway, not OpenSSL: libcrypto.so.3 brings
// 16,922 relocations and ~90 pages to copy at start-up, and only the ssh
// transport needs it otherwise (libssh2, opened on first use:
// source/git/transports). EVP's first digest also loaded openssl.cnf.
#include <mbedtls/sha256.h>

#include <array>

namespace sentryscan {

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), 0);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (std::size_t i = 0; i < digest.size(); ++i) {
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
