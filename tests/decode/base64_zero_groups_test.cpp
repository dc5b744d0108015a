// Base64 whose decoded bytes start with zero bytes (issue 12): the leading
// `AAAA` groups are skipped and what follows gets the text test, so text
// behind an aligned zero prefix is decoded while keys and images are not.
#include <gtest/gtest.h>

#include <random>

#include "core/base64.h"
#include "decode/decoders.h"

namespace sentryscan::decode {
namespace {

const std::string kText = "SENTRY_DSN=see the deployment notes for where the value comes from\n";

TEST(Base64ZeroGroups, TextBehindZeroGroupsIsDecoded) {
  for (const std::size_t zeros : {3u, 6u, 12u}) {
    const std::string encoded = base64_encode(std::string(zeros, '\0') + kText);
    const std::string text = "blob: " + encoded + "\n";
    const auto runs = find_base64_runs(text);
    ASSERT_EQ(runs.size(), 1u) << zeros;
    // The run starts after the zero groups.
    EXPECT_EQ(runs[0].span.begin, 6 + zeros / 3 * 4) << zeros;
    DecodedText decoded;
    ASSERT_EQ(decode_base64_run(text, runs[0], decoded), Payload::text) << zeros;
    EXPECT_EQ(decoded.text(), kText);
  }
}

TEST(Base64ZeroGroups, KeysAndImagesBehindZeroBytesStayUndecoded) {
  std::mt19937 random(7);
  auto noise = [&random](std::size_t n) {
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(random());
    return out;
  };
  // An OpenSSH public key: a length, "ssh-rsa", the exponent and the modulus.
  const std::string ssh = std::string("\0\0\0\x07ssh-rsa\0\0\0\x03\x01\0\x01\0\0\x01\x01\0", 23) + noise(256);
  // A DER key after zero padding, and an icon whose header starts with zeros.
  const std::string der = std::string(6, '\0') + "\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00" + noise(300);
  const std::string ico = std::string("\0\0\x01\0\x01\0\x10\x10\0\0\x01\0\x20\0", 14) + noise(300);
  for (const std::string& bytes : {ssh, der, ico, std::string(300, '\0')}) {
    const std::string text = "key: " + base64_encode(bytes) + "\n";
    for (const Base64Run& run : find_base64_runs(text)) {
      DecodedText decoded;
      EXPECT_EQ(decode_base64_run(text, run, decoded), Payload::garbage) << text.substr(0, 40);
    }
  }
}

}  // namespace
}  // namespace sentryscan::decode
