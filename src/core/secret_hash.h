// Hashes of secrets: the only form in which a secret may be stored or compared
// outside the finding itself (fingerprints, validation cache, baselines).
#pragma once

#include <string>
#include <string_view>

namespace sentryscan {

// Lowercase hex of SHA-256(data).
std::string sha256_hex(std::string_view data);

// "sentryscan:v1:" + first 32 hex of sha256(rule_id + "\n" + secret).
// Depends on nothing else, so it survives edits, moves and history rewrites.
std::string fingerprint(std::string_view rule_id, std::string_view secret);

// First 10 characters, an ellipsis, the last 4 (SPEC 2, Output). Short
// secrets keep at most a third of their characters.
std::string redact(std::string_view secret);

}  // namespace sentryscan
