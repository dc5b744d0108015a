// Credentials generated at test time: structurally valid, obviously fake
// (derived from a seed string by SHA-256), never real.
#pragma once

#include <string>
#include <string_view>

namespace sentryscan::testing {

// 2*bytes lowercase hex derived from `seed`.
std::string fake_hex(std::string_view seed, std::size_t length);

struct OrgTokenSpec {
  std::string org = "example-org";
  std::string url = "https://sentry.io";  // "null" writes JSON null
  std::string region_url = "https://us.sentry.io";
  double iat = 1714521600.0;  // 2024-05-01T00:00:00Z
};

// sntrys_<base64 json>_<43 char secret>.
std::string fake_org_token(std::string_view seed, const OrgTokenSpec& spec = {});
std::string fake_user_token(std::string_view seed);         // sntryu_ + 64 hex
std::string fake_prefixed_token(std::string_view prefix, std::string_view seed);  // prefix + 64 hex
// https://<32hex>@o<org>.ingest.us.sentry.io/<project>
std::string fake_dsn(std::string_view seed, std::string_view host = "o4500000000000000.ingest.us.sentry.io",
                     std::string_view project = "4500000000000001");

}  // namespace sentryscan::testing
