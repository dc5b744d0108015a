// Untrusted text on standard error and in `--format github`: file names,
// commit messages and author names holding newlines, escape sequences, BEL
// and invalid UTF-8, through the real binary. GitHub's runner reads workflow
// commands ("::warning file=...::") from the start of any line of stdout
// *and* stderr, and terminals act on ESC and BEL wherever they appear, so
// neither stream may carry them raw.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/fake_tokens.h"
#include "support/git_repo.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The first raw control byte (C0 but newline, DEL, a C1 control in UTF-8, or
// a byte that is not UTF-8 at all), described; empty if there is none.
std::string first_raw_control(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte < 0x20 && byte != '\n') || byte == 0x7f) return "control byte " + std::to_string(byte);
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9f &&
        static_cast<unsigned char>(text[i + 1]) >= 0x80)
      return "C1 control";
    if (byte == 0xff || byte == 0xfe) return "invalid UTF-8 byte " + std::to_string(byte);
  }
  return "";
}

void expect_no_workflow_command(const std::string& text, const std::string& what) {
  for (const auto& line : lines_of(text)) EXPECT_FALSE(line.starts_with("::")) << what << ": " << line;
}

constexpr const char* kInjectedName = "big\n::warning file=README.md,line=1::Injected";

TEST(StderrInjection, OversizedFileNameCannotStartAWorkflowCommand) {
  TempDir dir;
  dir.write(kInjectedName, std::string(64, 'x'));
  for (const char* format : {"text", "json", "github"}) {
    const auto result =
        run_sentryscan({"scan", "--format", format, "--no-color", "--max-file-size", "16", dir.path().string()});
    EXPECT_EQ(result.exit_code, 3) << format << "\n" << result.err;
    EXPECT_NE(result.err.find("big\\n::warning"), std::string::npos) << "the name is shown, escaped:\n" << result.err;
    expect_no_workflow_command(result.err, std::string("stderr, --format ") + format);
    if (std::string(format) != "github") continue;
    // On stdout only our own commands start lines: the issue and the summary.
    for (const auto& line : lines_of(result.out))
      EXPECT_TRUE(line.starts_with("::error title=") || line.starts_with("::notice title=")) << line;
  }
}

TEST(StderrInjection, EscapeSequencesInANameNeverReachStderrRaw) {
  TempDir dir;
  const std::vector<std::string> names{"\x1b[31mred\x1b[0m-\x07-bell.bin", "c1-\xc2\x9b" "2J.bin", "bad-\xff\xfe.bin",
                                       "del-\x7f.bin"};
  for (const auto& name : names) dir.write(name, std::string(64, 'x'));
  const auto result = run_sentryscan({"scan", "--max-file-size", "16", "--no-color", dir.path().string()});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(first_raw_control(result.err), "") << result.err;
  EXPECT_NE(result.err.find("\\x1b[31mred\\x1b[0m-\\x07-bell.bin"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("c1-\\u009b2J.bin"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("bad-\\xff\\xfe.bin"), std::string::npos) << result.err;
  // The text report says the same, escaped the same way.
  EXPECT_EQ(first_raw_control(result.out), "") << result.out;
}

TEST(StderrInjection, UsageErrorsDoNotEchoControlsRaw) {
  const auto result = run_sentryscan({"scan", "--format", "x\x1b[2J\n::error::injected", "."});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(first_raw_control(result.err), "") << result.err;
  expect_no_workflow_command(result.err, "usage error");
}

TEST(StderrInjection, GithubFindingInAFileNamedWithEscapes) {
  TempDir dir;
  dir.write("\x1b[31mred\x07.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("esc-name") + "\n");
  const auto result = run_sentryscan({"scan", "--format", "github", dir.path().string()});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 2u) << result.out;  // the annotation and the summary notice
  EXPECT_TRUE(lines[0].starts_with("::error file=")) << lines[0];
  EXPECT_NE(lines[0].find("\\x1b[31mred\\x07.env"), std::string::npos) << lines[0];
  EXPECT_EQ(first_raw_control(result.out), "") << result.out;
  EXPECT_EQ(first_raw_control(result.err), "") << result.err;
}

TEST(StderrInjection, GitAuditCommitTextStaysInertOnStderrAndInGithubOutput) {
  GitRepo repo;
  repo.commit_file("README.md", "hello\n", "init");
  repo.write("prod.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("git-controls") + "\n");
  repo.write(kInjectedName, std::string(4096, 'x'));  // skipped for its size: reaches stderr
  repo.git({"add", "-A"});
  repo.git({"commit", "-q", "-m", "add \x1b]0;owned\x07 env \x1b[2J\x7f"},
           {{"GIT_AUTHOR_NAME", "Mallory \x07\x1b[5mblink\x1b[0m"}});

  CliOptions options;
  options.env = git_test_env();
  const auto result =
      run_sentryscan({"git", "--format", "github", "--max-file-size", "1KiB", repo.path().string()}, options);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(first_raw_control(result.out), "") << result.out;
  EXPECT_EQ(first_raw_control(result.err), "") << result.err;
  expect_no_workflow_command(result.err, "stderr");
  // The commit metadata is still there, escaped, in the annotation.
  EXPECT_NE(result.out.find("Mallory \\x07\\x1b[5mblink\\x1b[0m"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("add \\x1b]0;owned\\x07 env"), std::string::npos) << result.out;
  for (const auto& line : lines_of(result.out))
    EXPECT_TRUE(line.starts_with("::error ") || line.starts_with("::warning ") || line.starts_with("::notice "))
        << line;
}

}  // namespace
}  // namespace sentryscan::testing
