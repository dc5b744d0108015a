// The `sntrys_` payload decoder (SPEC 1.1) over arbitrary text, and over
// arbitrary JSON payloads wrapped into an otherwise well-formed token, so the
// fuzzer reaches the base64 and JSON layers as well as the token syntax.
//
// Invariants: a decoded token has exactly two '_', a 43-character secret and
// a payload that is padded base64; issued_at is empty or an ISO-8601 UTC
// time; a payload that is a JSON object with a truthy numeric iat decodes.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "core/base64.h"
#include "fuzz_support.h"
#include "match/checks.h"

namespace sentryscan::fuzz {
namespace {

// Obviously fake: 43 characters of the right alphabet, last one from AEIMQUYcgkosw048.
constexpr std::string_view kFakeSecret = "FAKEfakeFAKEfakeFAKEfakeFAKEfakeFAKEfake00A";

void check_decoded(std::string_view token, const TokenInfo& info) {
  FUZZ_CHECK(token.starts_with("sntrys_"), "prefix");
  FUZZ_CHECK(std::count(token.begin(), token.end(), '_') == 2, "exactly two underscores");
  const std::size_t split = token.rfind('_');
  FUZZ_CHECK(token.size() - split - 1 == 43, "43-character secret");
  FUZZ_CHECK((split - 7) % 4 == 0, "padded base64 payload");
  const std::string& at = info.issued_at;
  FUZZ_CHECK(at.empty() || (at.size() == 20 && at[4] == '-' && at[10] == 'T' && at.back() == 'Z'),
             "issued_at is ISO-8601 UTC");
}

}  // namespace
}  // namespace sentryscan::fuzz

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace sentryscan;
  using namespace sentryscan::fuzz;
  const std::string_view text = as_text(data, size);

  if (const auto info = decode_org_token(text)) check_decoded(text, *info);

  // The same bytes as the JSON payload of a well-formed token.
  const std::string token = "sntrys_" + base64_encode(text) + "_" + std::string(kFakeSecret);
  const auto info = decode_org_token(token);
  if (info) check_decoded(token, *info);
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_discarded() && json.is_object() && json.contains("iat") && json["iat"].is_number() &&
      json["iat"].get<double>() != 0.0) {
    FUZZ_CHECK(info.has_value(), "a JSON object with a truthy numeric iat decodes");
  }
  return 0;
}
