// Issue 12 through Scanner::scan: a value encoded on its own is judged with
// the name around the encoded text (Kubernetes Secrets), UTF-16 without a
// byte order mark is scanned as text, and base64 behind zero groups is
// decoded. The forms the rules data cannot express (an encoding) live here.
#include <gtest/gtest.h>

#include "core/base64.h"
#include "scan/scanner.h"
#include "support/fake_tokens.h"
#include "support/scan_text.h"

namespace sentryscan {
namespace {

using testing::fake_hex;
using testing::fake_user_token;

std::vector<Finding> scan(std::string_view bytes, const std::string& path = "k8s/secret.yaml") {
  const Scanner context(testing::default_matcher(), ScanLimits{});
  Chunk chunk{bytes, {}};
  chunk.provenance.path = path;
  return context.scan(0, chunk).findings;
}

std::string secret_yaml(const std::string& name, const std::string& data) {
  return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: " + name + "\ntype: Opaque\ndata:\n" + data;
}

TEST(EncodedValueContext, KubernetesSecretWithBase64OfTheBareHexIsFound) {
  const std::string hex = fake_hex("k8s-legacy", 64);
  // As `kubectl create secret` writes it, quoted, and `echo` without -n (a trailing newline).
  for (const std::string& value : {base64_encode(hex), "\"" + base64_encode(hex) + "\"", base64_encode(hex + "\n")}) {
    const std::vector<Finding> found = scan(secret_yaml("app", "  SENTRY_AUTH_TOKEN: " + value + "\n"));
    ASSERT_EQ(found.size(), 1u) << value;
    EXPECT_EQ(found[0].rule_id, "sentry-legacy-token");
    EXPECT_EQ(found[0].secret, hex);
    EXPECT_EQ(found[0].decoded, std::vector<std::string>{"base64"});
    EXPECT_EQ(found[0].location.line, 7u);
    EXPECT_EQ(found[0].location.column, value[0] == '"' ? 23u : 22u);
  }
}

TEST(EncodedValueContext, TheContextChecksSeeTheTextAroundTheEncodedValue) {
  // `auth_token` needs "sentry" nearby: here the Secret's name, lines above.
  const std::string hex = fake_hex("k8s-named", 64);
  const std::string data = "  auth_token: " + base64_encode(hex) + "\n";
  const std::vector<Finding> found = scan(secret_yaml("sentry-release", data), "deploy/app.yaml");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].secret, hex);
  EXPECT_TRUE(scan(secret_yaml("github-release", data), "deploy/app.yaml").empty());
}

TEST(EncodedValueContext, Base64OfHexWithoutASentryNameStaysSilent) {
  const std::string hex = fake_hex("k8s-other", 64);
  for (const std::string& data : {"  GITHUB_TOKEN: " + base64_encode(hex) + "\n",
                                  "  checksum: " + base64_encode(hex) + "\n",
                                  "  AUTH_TOKEN: " + base64_encode(hex) + "\n"}) {
    EXPECT_TRUE(scan(secret_yaml("app", data), "deploy/app.yaml").empty()) << data;
  }
  EXPECT_TRUE(scan(base64_encode(hex) + "\n", "notes.txt").empty());
  // A placeholder stays one when encoded.
  EXPECT_TRUE(scan(secret_yaml("app", "  SENTRY_AUTH_TOKEN: " + base64_encode(std::string(64, '0')) + "\n")).empty());
  // A name in the text decoded next to a value that is not one: nothing carries over.
  EXPECT_TRUE(scan("SENTRY_AUTH_TOKEN: " + base64_encode("see the vault entry prod/sentry for this value") + "\n").empty());
}

std::string utf16(std::string_view text, bool little) {
  std::string out;
  for (char c : text) {
    if (little) out += {c, '\0'};
    else out += {'\0', c};
  }
  return out;
}

TEST(EncodedValueContext, Utf16WithoutBomIsScannedAsText) {
  const std::string token = fake_user_token("utf16-nobom");
  for (const bool little : {true, false}) {
    const std::string text = "# PowerShell profile\r\n$env:SENTRY_AUTH_TOKEN = \"" + token + "\"\r\n";
    const std::vector<Finding> found = scan(utf16(text, little), "profile.ps1");
    ASSERT_EQ(found.size(), 1u) << little;
    EXPECT_EQ(found[0].secret, token);
    EXPECT_EQ(found[0].decoded, std::vector<std::string>{"utf-16"});
    EXPECT_EQ(found[0].location.line, 2u);
    EXPECT_EQ(found[0].location.column, 27u);
    EXPECT_FALSE(found[0].binary);
    // The inline allow on the text's line applies, as in any text file.
    const auto allowed = scan(utf16(text.substr(0, text.size() - 2) + " # sentryscan:allow\r\n", little), "profile.ps1");
    ASSERT_EQ(allowed.size(), 1u);
    EXPECT_TRUE(allowed[0].allowed_inline);
  }
}

TEST(EncodedValueContext, Base64BehindZeroGroupsIsDecoded) {
  const std::string token = fake_user_token("zero-groups");
  const std::string encoded = base64_encode(std::string(6, '\0') + "SENTRY_AUTH_TOKEN=" + token + "\n");
  const std::vector<Finding> found = scan("payload: " + encoded + "\n", "dump.yaml");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].secret, token);
  EXPECT_EQ(found[0].decoded, std::vector<std::string>{"base64"});
}

}  // namespace
}  // namespace sentryscan
