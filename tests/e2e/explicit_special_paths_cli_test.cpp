// Paths that are not regular files. One the user names on the command line
// (process substitution, /dev/stdin, a named FIFO, a socket) is read as a
// stream or reported (exit 3), never skipped in silence; one met inside a
// directory walk is skipped without blocking, but counted and named.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "support/git_cli.h"
#include "support/scan_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The report's findings for `secret` (json arrays only; text output parses to nothing).
std::size_t count_of(const CliResult& result, const std::string& secret) {
  auto parsed = nlohmann::json::parse(result.out, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) return 0;
  return findings_of(parsed, secret).size();
}

std::filesystem::path make_fifo(const TempDir& dir, const std::string& name) {
  const auto path = dir.path() / name;
  if (mkfifo(path.c_str(), 0600) != 0) throw std::runtime_error(std::string("mkfifo: ") + std::strerror(errno));
  return path;
}

TEST(ExplicitSpecialPathsCli, ProcessSubstitutionIsRead) {
  const std::string binary = SENTRYSCAN_BINARY;
  CliOptions options;
  options.env = {{"LINE", user_token_line("process-substitution")}};
  const CliResult result = run_program(
      {"bash", "-c", shell_quote(binary) + " scan --format json --no-color <(printf '%s' \"$LINE\")"}, options);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_EQ(count_of(result, user_token("process-substitution")), 1u) << result.out << result.err;
}

TEST(ExplicitSpecialPathsCli, DevStdinIsRead) {
  CliOptions options;
  options.stdin_text = user_token_line("dev-stdin");
  const CliResult result = run_sentryscan({"scan", "--format", "json", "--no-color", "/dev/stdin"}, options);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(count_of(result, user_token("dev-stdin")), 1u) << result.out << result.err;

  // In the text report the stream counts as one scanned file.
  const CliResult text = run_sentryscan({"scan", "--no-color", "/dev/stdin"}, options);
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("scanned 1 file "), std::string::npos) << text.out;
}

TEST(ExplicitSpecialPathsCli, NamedFifoWithAWriterIsRead) {
  TempDir dir;
  const auto fifo = make_fifo(dir, "feed");
  CliOptions options;
  options.env = {{"LINE", user_token_line("named-fifo")}, {"FIFO", fifo.string()}, {"BIN", SENTRYSCAN_BINARY}};
  // The writer opens the FIFO in the background, as a producer would.
  const CliResult result = run_program(
      {"bash", "-c", "printf '%s' \"$LINE\" > \"$FIFO\" & \"$BIN\" scan --format json --no-color \"$FIFO\"; s=$?; wait; exit $s"},
      options);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_EQ(count_of(result, user_token("named-fifo")), 1u) << result.out << result.err;
}

TEST(ExplicitSpecialPathsCli, NamedFifoNobodyWritesToIsReportedNotAwaitedForever) {
  TempDir dir;
  const auto fifo = make_fifo(dir, "silent");
  CliOptions options;
  options.timeout_seconds = 40;
  const auto start = std::chrono::steady_clock::now();
  const CliResult result = run_sentryscan({"scan", "--no-color", fifo.string()}, options);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("silent"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("FIFO"), std::string::npos) << result.err;
}

TEST(ExplicitSpecialPathsCli, ExplicitSocketIsReported) {
  TempDir dir;
  const auto path = dir.path() / "control.sock";
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  ASSERT_LT(path.string().size(), sizeof address.sun_path);
  std::strcpy(address.sun_path, path.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0) << std::strerror(errno);
  const CliResult result = run_sentryscan({"scan", "--no-color", path.string()});
  close(fd);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("control.sock"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("socket"), std::string::npos) << result.err;
}

TEST(ExplicitSpecialPathsCli, FifoInsideADirectoryIsSkippedCountedAndSaid) {
  TempDir dir;
  dir.write("app.env", user_token_line("walk-with-fifo"));
  make_fifo(dir, "pipe-in-tree");
  CliOptions options;
  options.timeout_seconds = 30;
  // Nobody writes to it: the walk must not open it for reading.
  const CliResult json = run_sentryscan({"scan", "--format", "json", "--no-color", dir.path().string()}, options);
  EXPECT_EQ(json.exit_code, 1) << json.err;
  EXPECT_EQ(count_of(json, user_token("walk-with-fifo")), 1u);
  EXPECT_NE(json.err.find("pipe-in-tree"), std::string::npos) << json.err;

  const CliResult text = run_sentryscan({"scan", "--no-color", dir.path().string()}, options);
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("1 skipped"), std::string::npos) << text.out;
  // Named once, on stderr (the text report on standard output does not repeat it).
  EXPECT_NE(text.err.find("pipe-in-tree"), std::string::npos) << text.err;

  // A skipped special file is a warning: a tree that is otherwise clean passes.
  std::filesystem::remove(dir.path() / "app.env");
  const CliResult clean = run_sentryscan({"scan", "--no-color", dir.path().string()}, options);
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.out.find("1 skipped"), std::string::npos) << clean.out;
}

}  // namespace
}  // namespace sentryscan::testing
