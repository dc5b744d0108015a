// SPEC 8 bad inputs for file scanning, through the real binary: none may
// block, crash or lose a finding elsewhere in the same scan.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "support/scan_cli.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

std::string utf16(const std::string& ascii, bool little_endian) {
  std::string out = little_endian ? std::string("\xFF\xFE", 2) : std::string("\xFE\xFF", 2);
  for (char c : ascii) {
    if (little_endian) {
      out.push_back(c);
      out.push_back('\0');
    } else {
      out.push_back('\0');
      out.push_back(c);
    }
  }
  return out;
}

std::set<std::string> secrets_of(const nlohmann::json& findings) {
  std::set<std::string> out;
  for (const auto& f : findings) out.insert(f["secret"].get<std::string>());
  return out;
}

TEST(FileBadInput, FifoIsSkippedWithoutBlocking) {
  TempDir dir;
  ASSERT_EQ(mkfifo((dir.path() / "pipe").c_str(), 0644), 0);
  dir.write("real.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("fifo") + "\n");
  CliOptions options;
  options.timeout_seconds = 20;
  const auto scan = scan_json({dir.path().string()}, options);
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(scan.findings.size(), 1u);
}

TEST(FileBadInput, SymlinkLoopsTerminate) {
  TempDir dir;
  dir.write("a/leak.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("loop") + "\n");
  std::filesystem::create_directory_symlink("..", dir.path() / "a" / "up");
  std::filesystem::create_symlink("self", dir.path() / "self");
  CliOptions options;
  options.timeout_seconds = 20;
  for (bool follow : {false, true}) {
    std::vector<std::string> args{dir.path().string()};
    if (follow) args.insert(args.begin(), "--follow-symlinks");
    const auto scan = scan_json(args, options);
    EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
    EXPECT_EQ(scan.findings.size(), 1u) << "follow=" << follow << "\n" << scan.process.out;
  }
}

TEST(FileBadInput, CrlfLinesKeepColumns) {
  TempDir dir;
  const auto token = fake_user_token("crlf");
  dir.write("win.env", "A=1\r\nSENTRY_AUTH_TOKEN=" + token + "\r\nB=2\r\n");
  const auto scan = scan_json({"--show-secrets", dir.path().string()});
  ASSERT_EQ(scan.findings.size(), 1u);
  EXPECT_EQ(scan.findings[0]["secret"], token);
  EXPECT_EQ(scan.findings[0]["location"]["line"], 2);
  EXPECT_EQ(scan.findings[0]["location"]["column"], 19);
}

TEST(FileBadInput, Utf16FilesAreScannedAsText) {
  TempDir dir;
  const auto le = fake_user_token("utf16le"), be = fake_prefixed_token("sntryi_", "utf16be");
  dir.write("le.txt", utf16("line one\nTOKEN=" + le + "\n", true));
  dir.write("be.txt", utf16("TOKEN=" + be, false));
  const auto scan = scan_json({"--show-secrets", dir.path().string()});
  EXPECT_EQ(secrets_of(scan.findings), (std::set<std::string>{le, be})) << scan.process.out;
}

TEST(FileBadInput, BinaryFilesAreScannedAndMarked) {
  TempDir dir;
  const auto dsn = fake_dsn("binary");
  std::string blob("\x7f" "ELF\0\0\0\1\2\3", 10);
  blob += dsn;
  blob += std::string("\0\0\xff\xfe", 4);
  dir.write("libapp.so", blob);
  const auto scan = scan_json({"--show-secrets", dir.path().string()});
  ASSERT_EQ(scan.findings.size(), 1u) << scan.process.out;
  EXPECT_EQ(scan.findings[0]["secret"], dsn);
  EXPECT_EQ(scan.findings[0]["binary"], true);
}

TEST(FileBadInput, NonUtf8BytesAroundATokenDoNotHideIt) {
  TempDir dir;
  const auto token = fake_user_token("latin1");
  dir.write("mixed.txt", "caf\xe9 \xff\xfe\x80 " + token + " \xc3\x28\n");
  const auto scan = scan_json({"--show-secrets", dir.path().string()});
  EXPECT_EQ(secrets_of(scan.findings), (std::set<std::string>{token}));
}

TEST(FileBadInput, TokensAtStartAndEndWithoutTrailingNewline) {
  TempDir dir;
  const auto first = fake_user_token("start"), last = fake_prefixed_token("sntrya_", "end");
  dir.write("edges.txt", first + "\nmiddle\n" + last);
  dir.write("only.txt", fake_dsn("only"));
  const auto scan = scan_json({"--show-secrets", dir.path().string()});
  EXPECT_EQ(secrets_of(scan.findings), (std::set<std::string>{first, last, fake_dsn("only")}));
}

TEST(FileBadInput, EmptyFilesAreFine) {
  TempDir dir;
  dir.write("empty.txt", "");
  dir.write("empty/.keep", "");
  const auto result = run_sentryscan({"scan", dir.path().string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(FileBadInput, TokenAcrossBufferSizedBoundaries) {
  TempDir dir;
  const auto token = fake_user_token("boundary");
  std::set<std::string> expected;
  for (std::size_t boundary : {4096u, 65536u, 1u << 20}) {
    std::string content(boundary - 20, 'x');
    content += " " + token + " ";
    dir.write("at-" + std::to_string(boundary) + ".txt", content);
  }
  const auto scan = scan_json({dir.path().string()});
  EXPECT_EQ(scan.findings.size(), 3u);
}

TEST(FileBadInput, HundredMegabyteSingleLineFile) {
  TempDir dir;
  const auto head = fake_user_token("minified-head"), tail = fake_dsn("minified-tail");
  std::string content;
  content.reserve(100u << 20);
  content += "var a=\"" + head + "\";";
  const std::string filler = "function(e){return e&&e.__esModule?e:{default:e}};";
  while (content.size() < (100u << 20)) content += filler;
  content += "init({dsn:\"" + tail + "\"})";
  dir.write("bundle.min.js", content);
  CliOptions options;
  options.timeout_seconds = 120;
  const auto scan = scan_json({"--show-secrets", "--max-file-size", "200MiB", dir.path().string()}, options);
  EXPECT_EQ(secrets_of(scan.findings), (std::set<std::string>{head, tail}));
  // Over the default limit of 50 MiB it is skipped and reported, never silently passed.
  const auto skipped = run_sentryscan({"scan", dir.path().string()}, options);
  EXPECT_EQ(skipped.exit_code, 3);
}

TEST(FileBadInput, StandardInputIsScanned) {
  CliOptions options;
  const auto token = fake_user_token("stdin");
  options.stdin_text = "line\nSENTRY_AUTH_TOKEN=" + token + "\n";
  const auto scan = scan_json({"-"}, options);
  EXPECT_EQ(scan.process.exit_code, 1);
  ASSERT_EQ(scan.findings.size(), 1u);
  EXPECT_EQ(scan.findings[0]["source"]["kind"], "stdin");
  EXPECT_EQ(scan.findings[0]["location"]["line"], 2);
}

TEST(FileBadInput, GitDirectoriesAreSkippedAndExcludesApply) {
  TempDir dir;
  dir.write(".git/config", "SENTRY_AUTH_TOKEN=" + fake_user_token("gitdir") + "\n");
  dir.write("node_modules/pkg/index.js", "dsn='" + fake_dsn("excluded") + "'\n");
  dir.write("dist/app.min.js", "dsn='" + fake_dsn("excluded-glob") + "'\n");
  dir.write("src/kept.js", "dsn='" + fake_dsn("kept") + "'\n");
  const auto scan = scan_json({"--show-secrets", "--exclude", "node_modules", "--exclude", "*.min.js",
                               dir.path().string()});
  EXPECT_EQ(secrets_of(scan.findings), (std::set<std::string>{fake_dsn("kept")})) << scan.process.out;
}

TEST(FileBadInput, ResultsDoNotDependOnThreadCount) {
  TempDir dir;
  std::set<std::string> expected;
  for (int d = 0; d < 20; ++d) {
    for (int f = 0; f < 30; ++f) {
      const std::string name = "d" + std::to_string(d) + "/sub/f" + std::to_string(f) + ".txt";
      if (f % 7 == 0) {
        const auto token = fake_user_token(name);
        expected.insert(token);
        dir.write(name, "x=1\nSENTRY_AUTH_TOKEN=" + token + "\n");
      } else {
        dir.write(name, "nothing here " + name + "\n");
      }
    }
  }
  for (const char* threads : {"1", "2", "8"}) {
    const auto scan = scan_json({"--show-secrets", "--threads", threads, dir.path().string()});
    EXPECT_EQ(secrets_of(scan.findings), expected) << "threads=" << threads;
  }
}

}  // namespace
}  // namespace sentryscan::testing
