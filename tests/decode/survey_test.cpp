// The vectorised survey must find exactly what a plain byte loop finds, in
// every implementation, wherever runs and escapes fall relative to its blocks.
#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>

#include "decode/survey.h"

namespace sentryscan::decode {
namespace {

bool base64_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '+' || c == '/' ||
         c == '-' || c == '_';
}

Survey reference(std::string_view text, std::size_t min_run) {
  Survey survey;
  for (std::size_t i = 0; i < text.size();) {
    if (!base64_char(text[i])) {
      auto keep = [i](std::vector<std::size_t>& kept) {
        if (kept.empty() || i >= kept.back() + Survey::kTriggerSpacing) kept.push_back(i);
      };
      if (text[i] == '%' && is_percent_trigger(text, i)) keep(survey.percents);
      if (text[i] == '\\' && is_escape_trigger(text, i)) keep(survey.backslashes);
      ++i;
      continue;
    }
    Survey::Run run{i, i, false, false};
    while (run.end < text.size() && base64_char(text[run.end])) {
      const char c = text[run.end++];
      run.has_plus_slash |= c == '+' || c == '/';
      run.has_dash_underscore |= c == '-' || c == '_';
    }
    if (run.end - run.begin >= min_run) survey.long_runs.push_back(run);
    i = run.end;
  }
  std::size_t hex_run = 0;
  for (const char c : text) {
    hex_run = std::isxdigit(static_cast<unsigned char>(c)) ? hex_run + 1 : 0;
    survey.hex_run_32 |= hex_run >= 32;
    survey.hex_run_64 |= hex_run >= 64;
  }
  for (std::size_t i = 0; i < text.size(); ++i)
    if (is_keyword_at(text, i) && (survey.keywords.empty() || i >= survey.keywords.back() + Survey::kTriggerSpacing))
      survey.keywords.push_back(i);
  return survey;
}

void expect_same(const Survey& expected, const Survey& actual, const std::string& label) {
  ASSERT_EQ(expected.long_runs.size(), actual.long_runs.size()) << label;
  for (std::size_t i = 0; i < expected.long_runs.size(); ++i) {
    const auto& e = expected.long_runs[i];
    const auto& a = actual.long_runs[i];
    EXPECT_EQ(e.begin, a.begin) << label << " run " << i;
    EXPECT_EQ(e.end, a.end) << label << " run " << i;
    EXPECT_EQ(e.has_plus_slash, a.has_plus_slash) << label << " run " << i;
    EXPECT_EQ(e.has_dash_underscore, a.has_dash_underscore) << label << " run " << i;
  }
  EXPECT_EQ(expected.percents, actual.percents) << label;
  EXPECT_EQ(expected.backslashes, actual.backslashes) << label;
  EXPECT_EQ(expected.keywords, actual.keywords) << label;
  EXPECT_EQ(expected.hex_run_32, actual.hex_run_32) << label;
  EXPECT_EQ(expected.hex_run_64, actual.hex_run_64) << label;
}

void check_all(std::string_view text, std::size_t min_run, const std::string& label) {
  const Survey expected = reference(text, min_run);
  expect_same(expected, survey_text(text, min_run, SurveyIsa::avx512), label + " avx512");
  expect_same(expected, survey_text(text, min_run, SurveyIsa::avx2), label + " avx2");
  expect_same(expected, survey_text(text, min_run, SurveyIsa::scalar), label + " scalar");
  expect_same(expected, survey_text(text, min_run), label + " default");
}

TEST(Survey, RunsOfEveryLengthAtEveryOffset) {
  for (std::size_t length : {55u, 56u, 57u, 63u, 64u, 65u, 127u, 128u, 129u, 300u}) {
    for (std::size_t offset : {0u, 1u, 7u, 8u, 31u, 32u, 63u, 64u, 65u, 100u}) {
      std::string text(offset, ' ');
      for (std::size_t i = 0; i < length; ++i) text.push_back("AZaz09+/-_"[i % 10]);
      text += std::string(offset % 3 == 0 ? 0 : 40, '.');
      check_all(text, 56, "length " + std::to_string(length) + " offset " + std::to_string(offset));
    }
  }
}

TEST(Survey, AlphabetFlagsCoverTheWholeRunAcrossBlocks) {
  // A '-' only in the part of a run that lies in an earlier block.
  std::string text(60, ' ');
  text += "-" + std::string(100, 'A') + " tail";
  check_all(text, 56, "dash early");
  text = std::string(60, ' ') + std::string(100, 'A') + "/ tail";
  check_all(text, 56, "slash late");
}

TEST(Survey, EscapesAtBlockEdgesAndTheEnd) {
  for (std::size_t offset = 50; offset < 70; ++offset) {
    std::string text(offset, ' ');
    text += "%2F and \\/ and \\u002F and \\x3a and %3d";
    check_all(text, 56, "offset " + std::to_string(offset));
  }
  check_all("ends in %2", 56, "cut percent");
  check_all("ends in \\", 56, "cut backslash");
  check_all("%2F", 56, "only percent");
}

TEST(Survey, RandomTextAgreesWithTheReference) {
  std::mt19937 random(7);
  const std::string pieces[] = {"QUJD", "eyJpYXQiOjE3", "+/", "-_", " ", "\n", "%2F", "%25", "%s", "\\/", "\\u002F",
                                "\\u00e9", "\\x41", "\\n", "==", "\xff\xfe", std::string(1, '\0'), "hello world"};
  for (int round = 0; round < 200; ++round) {
    std::string text;
    const std::size_t target = random() % 3000;
    while (text.size() < target) {
      const auto& piece = pieces[random() % std::size(pieces)];
      const std::size_t repeat = 1 + random() % (random() % 4 == 0 ? 40 : 3);
      for (std::size_t i = 0; i < repeat; ++i) text += piece;
    }
    for (std::size_t min_run : {1u, 4u, 33u, 56u, 64u}) check_all(text, min_run, "round " + std::to_string(round));
  }
}

// Source code: blocks of letters and digits broken by a few other bytes,
// where the survey rules out a long run without working the runs out. Runs
// just shorter and just longer than the minimum, against every block edge.
TEST(Survey, MostlyLettersWithFewBreaks) {
  std::mt19937 random(14);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const std::size_t target = 64 + random() % 700;
    while (text.size() < target) {
      const std::size_t run = random() % 4 == 0 ? 20 + random() % 50 : random() % 12;
      for (std::size_t i = 0; i < run; ++i) text.push_back("aZ09+/-_Qx"[random() % 10]);
      text.push_back(" .%\\(\n"[random() % 6]);
    }
    for (std::size_t min_run : {1u, 8u, 31u, 32u, 33u, 40u, 56u, 63u, 64u})
      check_all(text, min_run, "round " + std::to_string(round) + " min " + std::to_string(min_run));
  }
}

// `sntry` and `sentry` in any case, wherever they fall against the blocks
// (their `y` in the next block), one kept per spacing.
TEST(Survey, KeywordsAtBlockEdges) {
  for (const std::string word : {"sntry", "SENTRY", "Sentry", "sNtRy"}) {
    for (std::size_t offset = 56; offset < 72; ++offset) {
      std::string text(offset, ' ');
      text += word + std::string(300, ' ') + word + " " + word;
      check_all(text, 56, word + " offset " + std::to_string(offset));
      ASSERT_EQ(survey_text(text, 56).keywords.size(), 2u) << word << offset;
    }
  }
  check_all("ntry sntr entry", 56, "no keyword");
  check_all("sentry", 56, "only a keyword");
}

TEST(Survey, DenseEscapesKeepOnePerSpacing) {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "\\/";
  const Survey survey = survey_text(text, 56);
  ASSERT_FALSE(survey.backslashes.empty());
  EXPECT_LE(survey.backslashes.size(), text.size() / Survey::kTriggerSpacing + 1);
  EXPECT_EQ(survey.backslashes.front(), 0u);
  EXPECT_GE(survey.backslashes.back() + Survey::kTriggerSpacing, text.size() - 2);
  check_all(text, 56, "dense escapes");
}

TEST(Survey, OrdinaryTextHasNothing) {
  const std::string text = "int main(int argc, char** argv) {\n  printf(\"%s %d\\n\", argv[0], argc);\n}\n";
  const Survey survey = survey_text(text, 56);
  EXPECT_TRUE(survey.long_runs.empty());
  EXPECT_TRUE(survey.percents.empty());
  EXPECT_TRUE(survey.backslashes.empty());
}

}  // namespace
}  // namespace sentryscan::decode

namespace sentryscan::decode {
namespace {

// Hex runs of 31-32 and 63-65 digits at every offset against the blocks,
// alone, after a shorter run, and split by one other byte: the matcher
// leaves prefilters out on these flags, so a wrong "no" would miss a key.
TEST(Survey, HexRunsOfEveryLengthAtEveryOffset) {
  for (std::size_t length : {1u, 31u, 32u, 33u, 63u, 64u, 65u, 96u, 128u, 200u}) {
    for (std::size_t offset = 0; offset < 140; offset += 3) {
      for (const char* between : {"", "g", "-"}) {
        std::string text(offset, 'z');
        text += std::string(20, 'a') + between;
        for (std::size_t i = 0; i < length; ++i) text.push_back("0123456789abcdefABCDEF"[(i * 7) % 22]);
        text += offset % 2 ? "" : " tail";
        check_all(text, 56, "length " + std::to_string(length) + " offset " + std::to_string(offset) + between);
      }
    }
  }
}

TEST(Survey, RandomHexAgreesWithTheReference) {
  std::mt19937 random(32);
  for (int round = 0; round < 400; ++round) {
    std::string text;
    const std::size_t target = random() % 600;
    while (text.size() < target) {
      const std::size_t run = random() % 3 == 0 ? 25 + random() % 45 : random() % 10;
      for (std::size_t i = 0; i < run; ++i) text.push_back("0123456789abcdefABCDEF"[random() % 22]);
      text.push_back("gZ \n%\0"[random() % 6]);
    }
    check_all(text, 56, "round " + std::to_string(round));
  }
}

}  // namespace
}  // namespace sentryscan::decode
