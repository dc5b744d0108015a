// The DSN parser (SPEC 1.2) over arbitrary text.
//
// Invariants: a parsed DSN has a 32-hex public key, a decimal project id and a
// lowercase host; saas DSNs are on sentry.io; the JSON-escaped (`\/`) and
// percent-encoded spellings of a DSN parse to the same facts as the plain one.
#include <algorithm>
#include <cctype>
#include <string>

#include "fuzz_support.h"
#include "match/checks.h"

namespace sentryscan::fuzz {
namespace {

bool same(const DsnInfo& a, const DsnInfo& b) {
  return a.host == b.host && a.port == b.port && a.path_prefix == b.path_prefix && a.project_id == b.project_id &&
         a.org_id == b.org_id && a.region == b.region && a.public_key == b.public_key && a.saas == b.saas &&
         a.has_secret == b.has_secret;
}

std::string json_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '/') out += '\\';
    out += c;
  }
  return out;
}

std::string percent_encoded(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ':') out += "%3A";
    else if (c == '/') out += "%2F";
    else if (c == '@') out += "%40";
    else out += c;
  }
  return out;
}

void check(const DsnInfo& dsn) {
  FUZZ_CHECK(dsn.public_key.size() == 32 &&
                 std::all_of(dsn.public_key.begin(), dsn.public_key.end(),
                             [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }),
             "32-hex public key");
  FUZZ_CHECK(!dsn.project_id.empty() && std::all_of(dsn.project_id.begin(), dsn.project_id.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; }),
             "decimal project id");
  FUZZ_CHECK(!dsn.host.empty() && std::none_of(dsn.host.begin(), dsn.host.end(),
                                               [](char c) { return c >= 'A' && c <= 'Z'; }),
             "lowercase host");
  FUZZ_CHECK(!dsn.saas || dsn.host == "sentry.io" || dsn.host.ends_with(".sentry.io"), "saas only on sentry.io");
  FUZZ_CHECK(dsn.region.empty() || dsn.region == "us" || dsn.region == "de", "region us/de/none");
}

}  // namespace
}  // namespace sentryscan::fuzz

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace sentryscan;
  using namespace sentryscan::fuzz;
  const std::string_view text = as_text(data, size);
  const auto plain = parse_dsn(text);
  if (plain) check(*plain);
  // Escaped spellings decode to the same text only when the input holds no
  // escapes of its own.
  if (text.find('\\') == std::string_view::npos && text.find('%') == std::string_view::npos) {
    for (const std::string& spelling : {json_escaped(text), percent_encoded(text)}) {
      const auto other = parse_dsn(spelling);
      FUZZ_CHECK(other.has_value() == plain.has_value(), "escaped spelling parses like the plain one");
      if (other) FUZZ_CHECK(same(*other, *plain), "escaped spelling gives the same facts");
    }
  }
  return 0;
}
