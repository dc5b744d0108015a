// escape_control: what every stderr message and text report does to
// untrusted text. Printable UTF-8 passes unchanged; everything that could act
// on a terminal or start a new line becomes a visible escape.
#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "core/terminal_text.h"

namespace sentryscan {
namespace {

TEST(EscapeControl, PrintableTextAndValidUtf8PassUnchanged) {
  EXPECT_EQ(escape_control("src/app.env"), "src/app.env");
  EXPECT_EQ(escape_control("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91");
  EXPECT_EQ(escape_control("\xc2\xa0nbsp"), "\xc2\xa0nbsp");  // U+00A0 is the first code point after C1
  EXPECT_EQ(escape_control(""), "");
}

TEST(EscapeControl, C0ControlsAndDelAreEscaped) {
  EXPECT_EQ(escape_control("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(escape_control("\x1b[31mred\x07"), "\\x1b[31mred\\x07");
  EXPECT_EQ(escape_control(std::string_view("nul\0del\x7f", 8)), "nul\\x00del\\x7f");
}

TEST(EscapeControl, C1ControlsAreEscaped) {
  EXPECT_EQ(escape_control("\xc2\x9b" "2J"), "\\u009b2J");  // one-byte CSI, UTF-8 encoded
  EXPECT_EQ(escape_control("\xc2\x85"), "\\u0085");         // NEL
}

TEST(EscapeControl, InvalidUtf8BytesAreEscapedOneByOne) {
  EXPECT_EQ(escape_control("bad-\xff\xfe"), "bad-\\xff\\xfe");
  EXPECT_EQ(escape_control("\xc3"), "\\xc3");                // truncated sequence
  EXPECT_EQ(escape_control("\xc0\xaf"), "\\xc0\\xaf");       // overlong '/'
  EXPECT_EQ(escape_control("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate U+D800
  EXPECT_EQ(escape_control("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(escape_control("\x9b" "2J"), "\\x9b2J");          // a raw 8-bit CSI byte
}

TEST(Diagnostics, ArgumentsAreEscapedTheFormatStringIsNot) {
  EXPECT_EQ(format_escaped("{}: skipped\n  {} bytes", "big\n::warning::x", 42),
            "big\\n::warning::x: skipped\n  42 bytes");
  const std::string path = "\x1b]0;title\x07";
  EXPECT_EQ(format_escaped("{:>12}|", path), "\\x1b]0;title\\x07|");
}

}  // namespace
}  // namespace sentryscan
