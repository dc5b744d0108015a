// SPEC 8 / issue 6: file names holding newlines, carriage returns, escape
// sequences and invalid UTF-8, through the real binary, in every output
// format: every report stays well-formed and every finding is kept.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

const std::vector<std::string>& odd_names() {
  static const std::vector<std::string> names{"new\nline.env", "carriage\r\nreturn.env", "bad-\xff\xfe-utf8.env",
                                              "\x1b[31mred\x1b[0m.env", "tab\tand,comma:colon%25.env",
                                              "::error file=x::injected.env"};
  return names;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class OddNames : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::size_t i = 0; i < odd_names().size(); ++i)
      dir_.write(odd_names()[i], "SENTRY_AUTH_TOKEN=" + fake_user_token("odd" + std::to_string(i)) + "\n");
  }
  CliResult scan(const std::string& format) {
    return run_sentryscan({"scan", "--format", format, "--no-color", dir_.path().string()});
  }
  std::size_t count() const { return odd_names().size(); }
  TempDir dir_;
};

TEST_F(OddNames, JsonParsesAndKeepsEveryFinding) {
  const auto result = scan("json");
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const auto findings = nlohmann::json::parse(result.out, nullptr, false);  // strict UTF-8
  ASSERT_FALSE(findings.is_discarded()) << result.out;
  ASSERT_EQ(findings.size(), count());
  bool newline_kept = false;
  for (const auto& f : findings) newline_kept |= f["location"]["path"].get<std::string>().ends_with("new\nline.env");
  EXPECT_TRUE(newline_kept) << "a newline in a name survives the round trip through JSON";
}

TEST_F(OddNames, JsonlIsOneObjectPerLine) {
  const auto result = scan("jsonl");
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), count()) << result.out;
  for (const auto& line : lines) EXPECT_FALSE(nlohmann::json::parse(line, nullptr, false).is_discarded()) << line;
}

TEST_F(OddNames, SarifParsesWithEncodedUris) {
  const auto result = scan("sarif");
  const auto sarif = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_FALSE(sarif.is_discarded()) << result.out;
  const auto& results = sarif["runs"][0]["results"];
  ASSERT_EQ(results.size(), count());
  for (const auto& r : results) {
    const std::string uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    for (char c : uri) EXPECT_TRUE(c > 0x20 && c < 0x7f) << "raw byte in a SARIF uri: " << uri;
  }
}

TEST_F(OddNames, GithubCommandsCannotBeInjected) {
  const auto result = scan("github");
  const auto lines = lines_of(result.out);
  // One annotation per finding plus the summary notice; nothing a name holds
  // can start a line (and so a workflow command) of its own.
  ASSERT_EQ(lines.size(), count() + 1) << result.out;
  std::size_t errors = 0;
  for (const auto& line : lines) {
    EXPECT_TRUE(line.starts_with("::error ") || line.starts_with("::notice ")) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    if (line.starts_with("::error ")) ++errors;
  }
  EXPECT_EQ(errors, count());
}

TEST_F(OddNames, TextHasNoRawControlCharacters) {
  const auto result = scan("text");
  EXPECT_EQ(result.exit_code, 1);
  for (char c : result.out) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(c == '\n' || (byte >= 0x20 && byte != 0x7f)) << "control byte " << static_cast<int>(byte);
  }
  EXPECT_NE(result.out.find("new\\nline.env"), std::string::npos) << result.out;
  for (const auto& line : lines_of(result.out)) EXPECT_FALSE(line.starts_with("line.env")) << line;
}

}  // namespace
}  // namespace sentryscan::testing
