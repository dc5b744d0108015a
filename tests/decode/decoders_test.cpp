// Base64 runs, percent-encoding and string escapes: what is decoded, what is
// left alone, and how decoded spans map back to the text the user opens.
#include <gtest/gtest.h>

#include "core/base64.h"
#include "support/archive.h"
#include "decode/decoders.h"
#include "support/fake_tokens.h"

namespace sentryscan::decode {
namespace {

using sentryscan::testing::Compression;
using sentryscan::testing::fake_dsn;
using sentryscan::testing::fake_user_token;

std::string to_url_safe(std::string text) {
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

// The one run in `text`, decoded; fails the test when there is not exactly one.
DecodedText decode_only_run(std::string_view text, Payload expected = Payload::text) {
  const auto runs = find_base64_runs(text);
  EXPECT_EQ(runs.size(), 1u) << text;
  DecodedText decoded;
  if (runs.size() == 1) {
    EXPECT_EQ(decode_base64_run(text, runs[0], decoded), expected);
  }
  return decoded;
}

TEST(Base64Runs, FindsAndDecodesAStandardRunWithPadding) {
  const std::string token = fake_user_token("runs");
  const std::string encoded = base64_encode("token: " + token + "\n");
  const std::string text = "data:\n  creds: " + encoded + "\nkind: Secret\n";
  const auto runs = find_base64_runs(text);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].encoding, Encoding::base64);
  EXPECT_EQ(text.substr(runs[0].span.begin, runs[0].span.end - runs[0].span.begin), encoded);
  DecodedText decoded;
  ASSERT_EQ(decode_base64_run(text, runs[0], decoded), Payload::text);
  EXPECT_EQ(decoded.text(), "token: " + token + "\n");
}

TEST(Base64Runs, UrlSafeRunsAreNamedSo) {
  // '?' in the plain text makes the standard encoding hold '/', the URL-safe one '_'.
  const std::string plain = "dsn=" + fake_dsn("urlsafe") + "?a=1&b=2&c=>?>?>?";
  const std::string encoded = to_url_safe(base64_encode(plain));
  ASSERT_NE(encoded.find_first_of("-_"), std::string::npos);
  const DecodedText decoded = decode_only_run("value=" + encoded + ";");
  EXPECT_EQ(decoded.encoding(), Encoding::base64url);
  EXPECT_EQ(decoded.text(), plain);
}

// split_run hands a run holding one alphabet's own characters over whole,
// without its byte loop; a run holding both is still split into pieces.
TEST(Base64Runs, OneAlphabetRunsAreWholeAndMixedRunsAreSplit) {
  std::string plain = "dsn=" + fake_dsn("slash") + "?a=1&b=2&c=>?>?>?";
  while (plain.size() % 3 != 0) plain += '?';  // no padding: the run goes on after it
  const std::string standard = base64_encode(plain);
  ASSERT_NE(standard.find('/'), std::string::npos);
  ASSERT_EQ(standard.find_first_of("-_"), std::string::npos);
  const DecodedText whole = decode_only_run("value=" + standard + ";");
  EXPECT_EQ(whole.encoding(), Encoding::base64);
  EXPECT_EQ(whole.text(), plain);

  // `<standard>_<url-safe>`: the standard piece ends at the `_`.
  const std::string url = to_url_safe(base64_encode("token: " + fake_user_token("mixed") + "?>?>?>"));
  ASSERT_NE(url.find('_'), std::string::npos);
  const std::string text = "v=" + standard + "_" + url + "\n";
  bool found = false;
  for (const Base64Run& run : find_base64_runs(text)) {
    DecodedText decoded;
    if (decode_base64_run(text, run, decoded) == Payload::text && decoded.text() == plain) found = run.encoding == Encoding::base64;
  }
  EXPECT_TRUE(found) << text;
}

TEST(Base64Runs, ShortRunsAndGarbageAreSkipped) {
  EXPECT_TRUE(find_base64_runs("short: " + base64_encode("sntryu_abc") + "\n").empty());
  // Random bytes (a key, a hash) decode to garbage: not even reported as a run.
  std::string random;
  for (int i = 0; i < 96; ++i) random.push_back(static_cast<char>((i * 73 + 41) & 0xFF));
  EXPECT_TRUE(find_base64_runs("key: " + base64_encode(random) + "\n").empty());
  // sha256 and sha512 digests as they appear in lockfiles.
  const std::string digests = "sha256:" + std::string(64, 'a') + "\nintegrity sha512-" +
                              base64_encode(std::string(64, '\x9c')) + "\n";
  EXPECT_TRUE(find_base64_runs(digests).empty());
}

TEST(Base64Runs, MostlyTextButNotQuiteIsGarbage) {
  // Printable for the first bytes, binary after: rejected once decoded in full.
  std::string bytes = "hello world, this is text ";
  for (int i = 0; i < 60; ++i) bytes.push_back(static_cast<char>(0x80 + (i * 7) % 60));
  const std::string text = "x " + base64_encode(bytes) + " y";
  const auto runs = find_base64_runs(text);
  ASSERT_EQ(runs.size(), 1u);
  DecodedText decoded;
  EXPECT_EQ(decode_base64_run(text, runs[0], decoded), Payload::garbage);
}

TEST(Base64Runs, CompressedPayloadsArePacked) {
  const std::string gz = sentryscan::testing::compress("SENTRY_DSN=" + fake_dsn("packed") + "\n", Compression::gzip);
  const DecodedText decoded = decode_only_run("release: " + base64_encode(gz) + "\n", Payload::packed);
  EXPECT_EQ(decoded.text(), gz);
}

TEST(Base64Runs, LineWrappedRunsAreJoined) {
  const std::string plain = "SENTRY_AUTH_TOKEN=" + fake_user_token("wrapped") + "\nSENTRY_ORG=acme\nSENTRY_PROJECT=web\n";
  const std::string encoded = base64_encode(plain);
  ASSERT_GT(encoded.size(), 76u * 2);
  std::string wrapped;
  for (std::size_t i = 0; i < encoded.size(); i += 76) wrapped += "    " + encoded.substr(i, 76) + "\n";
  const std::string text = "blob: |\n" + wrapped + "next: 1\n";
  const DecodedText decoded = decode_only_run(text);
  EXPECT_EQ(decoded.text(), plain);
  // The token starts in decoded byte 18: its span maps into the first line,
  // and a span on the second line maps past the line break and indentation.
  const Span first = decoded.to_parent({18, 19});
  EXPECT_EQ(first.begin, text.find(encoded.substr(0, 76)) + 24);
  const std::size_t second_line = text.find(encoded.substr(76, 76));
  EXPECT_EQ(decoded.to_parent({57, 60}).begin, second_line);
}

TEST(Base64Runs, SpansMapToTheCharactersThatEncodeThem) {
  const std::string plain = "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const std::string text = "k: " + base64_encode(plain);
  const DecodedText decoded = decode_only_run(text);
  // Bytes [3, 6) are the second quantum: characters [4, 8) of the run.
  const Span span = decoded.to_parent({3, 6});
  EXPECT_EQ(span.begin, 3u + 4);
  EXPECT_EQ(span.end, 3u + 8);
  // A span cut inside quanta widens to whole quanta.
  const Span cut = decoded.to_parent({4, 8});
  EXPECT_EQ(cut.begin, 3u + 4);
  EXPECT_EQ(cut.end, 3u + 12);
  EXPECT_FALSE(decoded.is_verbatim({0, 3}));
}

TEST(PercentEncoding, UndoesEscapesAroundTriggersAndMapsBack) {
  const std::string text = "see https://ci.example.com/hook?token=abc%2Bdef%2Fghi%3D&x=%41 done";
  const auto windows = undo_percent_encoding(text);
  ASSERT_EQ(windows.size(), 1u);
  const DecodedText& window = windows[0];
  EXPECT_EQ(window.encoding(), Encoding::percent);
  EXPECT_EQ(window.text(), "see https://ci.example.com/hook?token=abc+def/ghi=&x=A done");
  const std::size_t value = window.text().find("abc+def/ghi=");
  const Span span = window.to_parent({value, value + 12});
  EXPECT_EQ(text.substr(span.begin, span.end - span.begin), "abc%2Bdef%2Fghi%3D");
  EXPECT_TRUE(window.is_verbatim({0, 10}));
  EXPECT_FALSE(window.is_verbatim({value, value + 4}));
}

TEST(PercentEncoding, FormatStringsAreNotTriggers) {
  EXPECT_TRUE(undo_percent_encoding("printf(\"%s %d %02x %5.2f 100%\", a);").empty());
  EXPECT_TRUE(undo_percent_encoding("name=John%20Smith&city=New%20York").empty());
}

TEST(StringEscapes, UndoesJsonAndJavaScriptEscapes) {
  const std::string text = R"(const dsn = "https:\u002F\u002Fkey@o1.ingest.sentry.io\/2", x = "\x41\u{1F600}\"\\";)";
  const auto windows = undo_string_escapes(text);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].text(), "const dsn = \"https://key@o1.ingest.sentry.io/2\", x = \"A\xF0\x9F\x98\x80\"\\\";");
  const std::size_t at = windows[0].text().find("https://");
  const Span span = windows[0].to_parent({at, windows[0].text().find("/2") + 2});
  EXPECT_EQ(text.substr(span.begin, span.end - span.begin), R"(https:\u002F\u002Fkey@o1.ingest.sentry.io\/2)");
}

TEST(StringEscapes, SurrogatePairsAndEscapedBackslashes) {
  const auto windows = undo_string_escapes(R"(a \/ \ud83d\ude00 \\u002F \ud800 end)");
  ASSERT_EQ(windows.size(), 1u);
  // An escaped backslash stays a backslash; the text after it is not an escape.
  EXPECT_EQ(windows[0].text(), "a / \xF0\x9F\x98\x80 \\u002F \\ud800 end");
}

TEST(StringEscapes, OrdinaryEscapesAreNotTriggers) {
  EXPECT_TRUE(undo_string_escapes(R"(printf("hello\n\tworld \"quoted\" \u00e9\u00e8");)").empty());
}

TEST(StringEscapes, DistantEscapesMakeSeparateWindows) {
  const std::string text = "a\\/b" + std::string(5000, ' ') + "c\\/d";
  const auto windows = undo_string_escapes(text);
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[1].to_parent({windows[1].text().find("c/d"), windows[1].text().find("c/d") + 3}).begin,
            text.find("c\\/d"));
}

TEST(LooksLikeText, AcceptsUtf8RejectsBinary) {
  EXPECT_TRUE(looks_like_text("plain ASCII with\ttabs\nand newlines"));
  EXPECT_TRUE(looks_like_text("Grüße, 日本語, emoji \xF0\x9F\x98\x80"));
  EXPECT_FALSE(looks_like_text(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)));
  EXPECT_FALSE(looks_like_text("\xC3\x28 invalid \xE2\x82 sequences \xFF\xFE everywhere \x80\x81"));
}

}  // namespace
}  // namespace sentryscan::decode
