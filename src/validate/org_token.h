// Minimal `sntrys_` payload decoding for `sentryscan validate` (credentials
// from stdin arrive without the matcher's decoded payload).
// TODO(lead): replace with decode_org_token_payload from src/match/checks.h once it is on main.
#pragma once

#include <optional>
#include <string_view>

#include "core/finding.h"

namespace sentryscan::validate {

// SPEC 1.1: exactly two '_', a padded standard-base64 payload that decodes to a
// JSON object with a truthy `iat`, and a 43-character secret. nullopt otherwise.
std::optional<TokenInfo> decode_org_token(std::string_view token);

}  // namespace sentryscan::validate
