// The survey decides which text is worth decoding, a 64-byte block at a
// time, and rules most blocks out cheaply (no long run of base64 characters,
// no `%` or `\`): a gate that rules out too much loses encoded credentials
// silently. Each encoding, at each base64 alignment, with the encoded text
// starting at every offset around the first block edges (so that it starts
// and ends on, before and after each edge), in code-like text that is mostly
// letters, must still be found, decoded, at its place.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <functional>
#include <string>

#include "core/base64.h"
#include "support/fake_tokens.h"
#include "support/scan_text.h"

namespace sentryscan {
namespace {

using testing::fake_dsn;
using testing::fake_org_token;
using testing::fake_user_token;

// Letters, digits and a few breaks, as in source code: most blocks hold
// more than 56 base64 characters but no 56 in a row.
std::string code_like(std::size_t size) {
  static constexpr std::string_view kCode = "int sentry_init(cfg) {\n  return load_opts_42(cfg->dsn_key);\n}\n";
  std::string out;
  while (out.size() < size) out += kCode;
  out.resize(size);
  if (size > 0) out.back() = ' ';  // the encoded text starts a run of its own
  return out;
}

std::string base64url(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::string percent_all(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) out += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  return out;
}

std::string json_unicode_all(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) out += fmt::format("\\u{:04x}", c);
  return out;
}

std::string hex_escape_all(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) out += fmt::format("\\x{:02x}", c);
  return out;
}

struct Form {
  std::string name;     // the first label of the finding's chain
  std::function<std::string(std::string_view)> encode;
  bool aligned;         // base64: the secret is tried at each of the three alignments
};

const std::vector<Form>& forms() {
  static const std::vector<Form> all = {
      {"base64", [](std::string_view s) { return base64_encode(s); }, true},
      {"base64url", base64url, true},
      {"percent", percent_all, false},
      {"escape", json_unicode_all, false},
      {"escape", hex_escape_all, false},
  };
  return all;
}

// The secrets to hide: a plain text of each kind a file would hold.
struct Secret {
  std::string secret;
  std::string text;  // what is encoded
};

std::vector<Secret> secrets() {
  const std::string user = fake_user_token("gate-user");
  const std::string dsn = fake_dsn("gate-dsn");
  const std::string org = fake_org_token("gate-org");
  // The shortest credential: its base64 (62 characters) fits inside one
  // block, touching neither edge, at offsets 1 and 65.
  const std::string short_dsn = fake_dsn("gate-short", "a.b", "1");
  // Each needs a name or prefix of its own: the token's prefix, the DSN's URL.
  return {{user, "token=" + user}, {dsn, "dsn: " + dsn}, {org, org}, {short_dsn, short_dsn}};
}

// Base64 without `-` or `_` is decoded as the standard alphabet: the same bytes.
bool same_layer(const std::string& label, const std::string& form) {
  return label == form || (form == "base64url" && label == "base64");
}

// Where in the file the encoded text may begin: both sides of the first two block edges.
std::vector<std::size_t> offsets() {
  std::vector<std::size_t> out;
  for (std::size_t at = 0; at <= 140; ++at) out.push_back(at);
  return out;
}

TEST(DecodingGate, EveryEncodingAtEveryAlignmentAndBlockEdgeIsFound) {
  std::size_t checked = 0;
  for (const Secret& secret : secrets()) {
    for (const Form& form : forms()) {
      // Base64: 0, 1 and 2 bytes before the secret move it through the three alignments.
      for (std::size_t lead = 0; lead < (form.aligned ? 3u : 1u); ++lead) {
        const std::string payload = std::string(lead, ' ') + secret.text;
        const std::string encoded = form.encode(payload);
        for (const std::size_t offset : offsets()) {
          const std::string text = code_like(offset) + encoded + "\n" + code_like(100);
          const std::vector<Finding> findings = testing::scan_text(text, "src/app.c");
          const std::string label = fmt::format("{} lead {} offset {}: {}", form.name, lead, offset, encoded.substr(0, 40));
          const auto found = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) {
            return f.secret == secret.secret && !f.decoded.empty() && same_layer(f.decoded.front(), form.name);
          });
          ASSERT_NE(found, findings.end()) << label;
          // At the encoded text, not in the code around it.
          const std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
          const std::size_t column = offset - (line_start == std::string::npos || offset == 0 ? 0 : line_start + 1) + 1;
          EXPECT_GE(found->location.column, column) << label;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 4u * (3 + 3 + 1 + 1 + 1) * 141);
}

// Encoded text that ends the file, so its last block is a partial one.
TEST(DecodingGate, EncodedTextAtTheEndOfTheFileIsFound) {
  for (const Secret& secret : secrets()) {
    for (const Form& form : forms()) {
      const std::string encoded = form.encode(secret.text);
      for (std::size_t offset = 0; offset <= 130; offset += 1) {
        const std::string text = code_like(offset) + encoded;
        const std::vector<Finding> findings = testing::scan_text(text, "src/app.c");
        const bool found = std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
          return f.secret == secret.secret && !f.decoded.empty();
        });
        ASSERT_TRUE(found) << form.name << " offset " << offset;
      }
    }
  }
}

}  // namespace
}  // namespace sentryscan
