// The joined-literals layer (issue 12): every form it joins and every form it
// must leave alone, with where the joined text maps back to.
#include <gtest/gtest.h>

#include "decode/joined_literals.h"
#include "decode/survey.h"

namespace sentryscan::decode {
namespace {

// The joined text of `source` (one window), or "" when nothing was joined.
std::string joined(std::string_view source) {
  const std::vector<DecodedText> windows = join_literals(source);
  if (windows.empty()) return "";
  EXPECT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].encoding(), Encoding::joined);
  return windows[0].text();
}

struct Form {
  const char* name;
  const char* source;
  const char* expected;  // the joined text; "" when nothing may be joined
};

TEST(JoinedLiterals, ExamplesAndCounterExamples) {
  const Form forms[] = {
      // Examples: each language's way of writing one string in parts.
      {"rust continuation", "let t = \"sntrys_\\\n    abc\\\n    def\";\n", "let t = \"sntrys_abcdef\";\n"},
      {"c continuation at column 0", "char *t = \"sntryu_ab\\\ncd\";\n", "char *t = \"sntryu_abcd\";\n"},
      {"c continuation, CRLF", "char *t = \"sntryu_ab\\\r\ncd\";\r\n", "char *t = \"sntryu_abcd\";\r\n"},
      {"c adjacent", "const char *sentry = \"ab\" \"cd\";", "const char *sentry = \"abcd\";"},
      {"c adjacent, wide prefix", "auto sentry = L\"ab\" L\"cd\";", "auto sentry = L\"abcd\";"},
      {"c macro over lines", "#define SENTRY_DSN \"ab\" \\\n  \"cd\"\n", "#define SENTRY_DSN \"abcd\"\n"},
      {"python adjacent in parentheses", "SENTRY = (\n    \"ab\"\n    \"cd\"\n)\n", "SENTRY = (\n    \"abcd\"\n)\n"},
      {"python single quotes, comment between", "SENTRY = ('ab'  # first\n    'cd')", "SENTRY = ('abcd')"},
      {"python f-string part", "sentry = \"ab\" f\"cd\"", "sentry = \"abcd\""},
      {"js plus", "const sentry = 'ab' + 'cd' + 'ef';", "const sentry = 'abcdef';"},
      {"js template literals", "const sentry = `ab` + `cd`;", "const sentry = `abcd`;"},
      {"js plus, block comment", "const sentry = \"ab\" + /* x */ \"cd\";", "const sentry = \"abcd\";"},
      {"java plus at line start", "String sentry = \"ab\"\n    + \"cd\";", "String sentry = \"abcd\";"},
      {"go plus at line end", "sentry := \"ab\" +\n\t\"cd\"", "sentry := \"abcd\""},
      {"escaped quote inside a part", "sentry = \"a\\\"b\" + \"cd\"", "sentry = \"a\\\"bcd\""},
      {"code held in another literal", "x = \"sentry `ab` + `cd`\"", "x = \"sentry `abcd`\""},
      {"after binary bytes", "\x01`\x02 sentry = \"ab\" \"cd\"", "\x01`\x02 sentry = \"abcd\""},
      // Counter-examples: no single string is written in parts here.
      {"arguments", "sentry(\"ab\", \"cd\")", ""},
      {"a variable between", "sentry = \"ab\" + key + \"cd\"", ""},
      {"two plus signs", "sentry = \"ab\" + + \"cd\"", ""},
      {"other quote kind", "sentry = \"ab\" 'cd'", ""},
      {"empty string", "sentry = \"\" ", ""},
      {"backslash outside a literal", "#define SENTRY \\\n  x", ""},
      {"escaped backslash then newline", "sentry = \"ab\\\\\n\"cd\"", ""},
      {"no Sentry keyword near", "token = \"ab\" \"cd\"", ""},
  };
  for (const Form& form : forms) EXPECT_EQ(joined(form.source), form.expected) << form.name;
}

TEST(JoinedLiterals, MapsBackToTheParts) {
  const std::string source = "sentry = \"ab\" +\n  \"cd\";";
  const std::vector<DecodedText> windows = join_literals(source);
  ASSERT_EQ(windows.size(), 1u);
  const DecodedText& w = windows[0];
  const std::size_t a = w.text().find("abcd");
  ASSERT_NE(a, std::string::npos);
  // "abcd" runs from the first part to the last.
  const Span parent = w.to_parent({a, a + 4});
  EXPECT_EQ(source.substr(parent.begin, parent.end - parent.begin), "ab\" +\n  \"cd");
  EXPECT_FALSE(w.is_verbatim({a, a + 4}));
  // Wholly inside one part: as written, so the plain scan has it already.
  EXPECT_TRUE(w.is_verbatim({a, a + 2}));
  EXPECT_TRUE(w.is_verbatim({a + 2, a + 4}));
}

TEST(JoinedLiterals, OnlyNearAKeyword) {
  // A join more than kJoinBefore before or kJoinAfter after the only `sentry` is not looked at.
  const std::string before = "x = \"ab\" \"cd\"\n" + std::string(2 * kJoinBefore + 10, ' ') + "\n# sentry\n";
  EXPECT_EQ(joined(before), "");
  const std::string after = "# sentry\n" + std::string(kJoinAfter, ' ') + "\nx = \"ab\" \"cd\"\n";
  EXPECT_EQ(joined(after), "");
  const std::string near = "# SENTRY\n" + std::string(kJoinAfter - 100, ' ') + "\nx = \"ab\" \"cd\"\n";
  EXPECT_NE(joined(near).find("\"abcd\""), std::string::npos);
  const std::string near_before = "x = \"ab\" +\n  \"cd\"  # sentry\n";
  EXPECT_NE(joined(near_before).find("\"abcd\""), std::string::npos);
}

TEST(JoinedLiterals, KeywordsAgreeAcrossInstructionSets) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += (i % 3 ? "xx sntry " : "Sentry entry SENTRY ") + std::string(i % 70, 'y');
  const auto scalar = survey_text(text, kMinBase64Run, SurveyIsa::scalar).keywords;
  EXPECT_FALSE(scalar.empty());
  EXPECT_EQ(survey_text(text, kMinBase64Run, SurveyIsa::avx2).keywords, scalar);
  EXPECT_EQ(survey_text(text, kMinBase64Run, SurveyIsa::avx512).keywords, scalar);
  EXPECT_TRUE(is_keyword_at("sntry", 1));
  EXPECT_TRUE(is_keyword_at("SeNtRy", 2));
  EXPECT_FALSE(is_keyword_at("entry", 1));
  EXPECT_FALSE(is_keyword_at("country", 3));
}

}  // namespace
}  // namespace sentryscan::decode

namespace sentryscan::decode {
namespace {

// The lexer skips to its next stop 32 bytes at a time (next_lexed): every
// form and counter-example gives the same result with the interesting
// bytes at every offset against those pieces, after long runs of code
// without a stop, and with a DEL or control byte before them.
TEST(JoinedLiterals, SameResultAtEveryOffset) {
  const Form forms[] = {
      {"plus", "sentry = 'ab' + 'cd';", "sentry = 'abcd';"},
      {"template", "const sentry = `ab` + `cd`;", "const sentry = `abcd`;"},
      {"adjacent over lines", "SENTRY = (\n    \"ab\"\n    \"cd\"\n)\n", "SENTRY = (\n    \"abcd\"\n)\n"},
      {"continuation", "let t = \"sntrys_\\\n    abc\\\n    def\";\n", "let t = \"sntrys_abcdef\";\n"},
      {"escaped quote", "sentry = \"a\\\"b\" + \"cd\"", "sentry = \"a\\\"bcd\""},
      {"other quote kind", "sentry = \"ab\" 'cd'", ""},
      {"arguments", "sentry(\"ab\", \"cd\")", ""},
  };
  for (const Form& form : forms) {
    for (std::size_t pad = 0; pad < 80; ++pad) {
      for (const char* before : {"", "\x7f", "\x01"}) {
        // Letters and blanks only: no byte the lexer stops at.
        const std::string lead = std::string(pad, 'x') + " " + before + (std::string(before).empty() ? "" : "\n");
        const std::string expected = std::string(form.expected).empty() ? "" : lead + form.expected;
        EXPECT_EQ(joined(lead + form.source), expected) << form.name << " after " << pad << " bytes";
      }
    }
  }
}

}  // namespace
}  // namespace sentryscan::decode
