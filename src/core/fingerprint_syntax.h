// The shape of a finding fingerprint as core/secret_hash.h produces it.
#pragma once

#include <string_view>

namespace sentryscan {

inline constexpr std::string_view kFingerprintPrefix = "sentryscan:v1:";
inline constexpr std::size_t kFingerprintHexDigits = 32;

// "sentryscan:v1:" followed by exactly 32 lowercase hex digits.
inline bool is_fingerprint(std::string_view text) {
  if (!text.starts_with(kFingerprintPrefix)) return false;
  text.remove_prefix(kFingerprintPrefix.size());
  if (text.size() != kFingerprintHexDigits) return false;
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace sentryscan
