// UTF-16 without a byte order mark (issue 12): told from its zero bytes,
// little- and big-endian, after NUL padding; binary that merely holds zero
// bytes is not taken for it.
#include <gtest/gtest.h>

#include <random>

#include "core/base64.h"
#include "decode/decoders.h"
#include "decode/transcode.h"

namespace sentryscan {
namespace {

std::string utf16(std::u16string_view text, bool little) {
  std::string out;
  for (char16_t unit : text) {
    const char lo = static_cast<char>(unit & 0xFF), hi = static_cast<char>(unit >> 8);
    if (little) out += {lo, hi};
    else out += {hi, lo};
  }
  return out;
}

TEST(Utf16WithoutBom, LittleAndBigEndianAreTranscoded) {
  for (const bool little : {true, false}) {
    // Non-ASCII after the first units: "é" U+00E9, "ж" U+0436, an emoji as a surrogate pair.
    const std::string bytes = utf16(u"$env:SENTRY_AUTH_TOKEN = \"x\" # \u00e9\u0436\U0001F600\r\n", little);
    const auto text = utf16_without_bom_to_utf8(bytes);
    ASSERT_TRUE(text) << little;
    EXPECT_EQ(text->text, "$env:SENTRY_AUTH_TOKEN = \"x\" # \xC3\xA9\xD0\xB6\xF0\x9F\x98\x80\r\n");
    EXPECT_EQ(text->begin, 0u);
    EXPECT_EQ(text->end, bytes.size());
  }
}

TEST(Utf16WithoutBom, LeadingNulPaddingIsSkippedAndTheTextStopsAtANulUnit) {
  for (const bool little : {true, false}) {
    const std::string text = utf16(u"registry export line", little);
    const std::string bytes = std::string(512, '\0') + text + std::string(2, '\0') + "tail";
    const auto found = utf16_without_bom_to_utf8(bytes);
    ASSERT_TRUE(found) << little;
    EXPECT_EQ(found->text, "registry export line");
    EXPECT_EQ(found->begin, 512u);
    EXPECT_EQ(found->end, 512u + text.size());
  }
}

TEST(Utf16WithoutBom, AsciiInFrontAndBehindKeepsEveryCharacter) {
  // Percent-decoded `url=` + UTF-16 + `&x=1`: which ASCII neighbour belongs to
  // the text cannot be told; every character of the text must be there.
  for (const bool little : {true, false}) {
    for (const std::string behind : {"", "\n", "&x=1"}) {
      const auto found = utf16_without_bom_to_utf8("url=" + utf16(u"k=value-at-the-end", little) + behind);
      ASSERT_TRUE(found) << little;
      EXPECT_NE(found->text.find("k=value-at-the-end"), std::string::npos) << little << " " << found->text;
      EXPECT_LE(found->text.size(), std::string("k=value-at-the-end").size() + 1) << found->text;
    }
  }
}

TEST(Utf16WithoutBom, BinaryWithZeroBytesIsNot) {
  std::mt19937 random(12);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(random());
  EXPECT_FALSE(utf16_without_bom_to_utf8(noise));
  // 16-bit integers below 256: every high byte zero, but the low bytes are not text.
  std::string samples;
  for (int i = 0; i < 2048; ++i) samples += {static_cast<char>(random() % 256), '\0'};
  EXPECT_FALSE(utf16_without_bom_to_utf8(samples));
  // An ELF header, a text then a NUL (a C string), too few units, all NULs.
  EXPECT_FALSE(utf16_without_bom_to_utf8(std::string("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0", 20)));
  EXPECT_FALSE(utf16_without_bom_to_utf8(std::string("plain ascii text\0\0\0\0", 20)));
  EXPECT_FALSE(utf16_without_bom_to_utf8(utf16(u"short", true)));
  EXPECT_FALSE(utf16_without_bom_to_utf8(std::string(64, '\0')));
}

TEST(Utf16WithoutBom, Base64OfItIsDecodedAsUtf16) {
  for (const bool little : {true, false}) {
    const std::string text = "value: " + base64_encode(utf16(u"SENTRY_AUTH_TOKEN=see the vault for the value\n", little)) + "\n";
    const auto runs = decode::find_base64_runs(text);
    ASSERT_EQ(runs.size(), 1u) << little;
    decode::DecodedText decoded;
    EXPECT_EQ(decode::decode_base64_run(text, runs[0], decoded), decode::Payload::utf16) << little;
  }
}

}  // namespace
}  // namespace sentryscan
