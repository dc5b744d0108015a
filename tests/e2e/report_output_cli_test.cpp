// Where reports and problems go, as a user sees them: `-o -`, a report that
// cannot be written (exit 2 before scanning), `--color auto|always|never`
// and NO_COLOR, and each scan problem printed once.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"
#include "support/terminal_run.h"

namespace sentryscan::testing {
namespace {

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

class ReportOutput : public ::testing::Test {
 protected:
  void SetUp() override { dir_.write("src/app.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("output") + "\n"); }
  std::string scanned() const { return (dir_.path() / "src").string(); }

  TempDir dir_;
};

TEST_F(ReportOutput, DashMeansStandardOutput) {
  CliOptions options;
  options.cwd = dir_.path();
  const auto result = run_sentryscan({"scan", "--format", "json", "-o", "-", "src"}, options);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "-")) << "wrote a file named '-'";
  ASSERT_FALSE(result.out.empty()) << result.err;
  EXPECT_EQ(nlohmann::json::parse(result.out).size(), 1u);
}

TEST_F(ReportOutput, MissingDirectoryIsAUsageErrorBeforeScanning) {
  const auto target = dir_.path() / "no-such-dir" / "report.sarif";
  const auto result = run_sentryscan({"scan", "--format", "sarif", "-o", target.string(), scanned()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("no-such-dir/report.sarif"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("No such file or directory"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;

  // Before scanning: a FIFO without a writer would hold the scan for 10 s.
  const auto fifo = dir_.path() / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  CliOptions quick;
  quick.timeout_seconds = 5;
  const auto early = run_sentryscan({"scan", "-o", target.string(), fifo.string()}, quick);
  EXPECT_EQ(early.exit_code, 2) << "the scan ran before the report path was checked: " << early.err;
}

TEST_F(ReportOutput, DirectoryAsReportIsAUsageError) {
  const auto result = run_sentryscan({"scan", "--format", "json", "--output", dir_.path().string(), scanned()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("Is a directory"), std::string::npos) << result.err;
}

TEST_F(ReportOutput, ReadOnlyDirectoryIsAUsageErrorWithTheReason) {
  chmod(dir_.path().c_str(), 0755);
  const auto locked = dir_.path() / "locked";
  std::filesystem::create_directory(locked);
  chmod(locked.c_str(), 0555);
  chmod((dir_.path() / "src").c_str(), 0755);
  chmod((dir_.path() / "src" / "app.env").c_str(), 0644);
  CliOptions options;
  options.as_unprivileged_user = true;
  const auto result = run_sentryscan({"scan", "-o", (locked / "report.txt").string(), scanned()}, options);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("Permission denied"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("locked/report.txt"), std::string::npos) << result.err;
}

TEST_F(ReportOutput, ControlCharactersInTheReportPathAreEscaped) {
  const auto target = dir_.path() / "gone\n::error::x" / "r.json";
  const auto result = run_sentryscan({"scan", "--format", "json", "-o", target.string(), scanned()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.err.find("\n::error::"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("gone\\n::error::x"), std::string::npos) << result.err;
}

TEST_F(ReportOutput, UnwritableBaselineIsAUsageError) {
  const auto result =
      run_sentryscan({"scan", "--write-baseline", (dir_.path() / "nowhere" / "b.json").string(), scanned()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("No such file or directory"), std::string::npos) << result.err;
}

// A problem (here a path that does not exist) reaches a person once. A text
// report on standard output lists it and stderr does not repeat it, whether
// standard output is a pipe (a CI log, `| less`) or a terminal; a machine
// format or a report file leaves it to stderr.
TEST_F(ReportOutput, EachProblemIsPrintedOnce) {
  const auto missing = (dir_.path() / "missing-input.env").string();
  const auto piped = run_sentryscan({"scan", scanned(), missing});
  EXPECT_EQ(piped.exit_code, 1);
  EXPECT_EQ(count_of(piped.out + piped.err, "missing-input.env"), 1u) << piped.out << "\n---\n" << piped.err;

  const auto terminal = run_sentryscan_on_terminal({"scan", scanned(), missing});
  EXPECT_EQ(terminal.exit_code, 1);
  EXPECT_EQ(count_of(terminal.out + terminal.err, "missing-input.env"), 1u) << terminal.out << "\n---\n" << terminal.err;

  const auto json = run_sentryscan({"scan", "--format", "json", scanned(), missing});
  EXPECT_EQ(count_of(json.err, "missing-input.env"), 1u) << json.err;

  const auto report = dir_.path() / "report.txt";
  const auto file = run_sentryscan({"scan", "-o", report.string(), scanned(), missing});
  EXPECT_EQ(count_of(file.err, "missing-input.env"), 1u) << file.err;
  EXPECT_EQ(count_of(read_file(report), "missing-input.env"), 1u);
}

TEST_F(ReportOutput, ColorAlwaysColoursAPipe) {
  const auto result = run_sentryscan({"scan", "--color", "always", scanned()});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("\x1b["), std::string::npos) << result.out;
  EXPECT_EQ(run_sentryscan({"scan", "--color", "sometimes", scanned()}).exit_code, 2);
  EXPECT_EQ(run_sentryscan({"scan", "--color", "always", "--no-color", scanned()}).exit_code, 2);
}

TEST_F(ReportOutput, ColorAutoColoursATerminalOnly) {
  EXPECT_NE(run_sentryscan_on_terminal({"scan", scanned()}).out.find("\x1b["), std::string::npos);
  EXPECT_NE(run_sentryscan_on_terminal({"scan", "--color", "auto", scanned()}).out.find("\x1b["), std::string::npos);
  EXPECT_EQ(run_sentryscan({"scan", "--color", "auto", scanned()}).out.find("\x1b["), std::string::npos);
}

TEST_F(ReportOutput, ColorNeverAndNoColorStayPlainOnATerminal) {
  const auto never = run_sentryscan_on_terminal({"scan", "--color", "never", scanned()});
  EXPECT_EQ(never.exit_code, 1) << never.err;
  EXPECT_EQ(never.out.find("\x1b["), std::string::npos) << never.out;
  EXPECT_EQ(run_sentryscan_on_terminal({"scan", "--no-color", scanned()}).out.find("\x1b["), std::string::npos);
}

TEST_F(ReportOutput, NoColorCountsOnlyWhenNotEmpty) {
  CliOptions empty;
  empty.env = {{"NO_COLOR", ""}};
  EXPECT_NE(run_sentryscan_on_terminal({"scan", scanned()}, empty).out.find("\x1b["), std::string::npos)
      << "an empty NO_COLOR must not turn colour off";
  CliOptions set;
  set.env = {{"NO_COLOR", "1"}};
  EXPECT_EQ(run_sentryscan_on_terminal({"scan", scanned()}, set).out.find("\x1b["), std::string::npos);
  // The command line wins over the environment.
  EXPECT_NE(run_sentryscan({"scan", "--color", "always", scanned()}, set).out.find("\x1b["), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
