#include "core/secret_hash.h"

// OpenSSL 3 marks SHA256_Init/Update/Final deprecated in favour of EVP, but
// EVP's first digest loads openssl.cnf and sets up the provider machinery:
// 1.5 ms, 6 % of a `sentryscan staged` run, where the only hash is the name
// of the Hyperscan cache file. The low-level functions compute the same
// digest without any of that.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <array>

namespace sentryscan {

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, data.data(), data.size());
  SHA256_Final(digest.data(), &context);
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
