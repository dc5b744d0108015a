// .sentryscanignore as a user writes it: fingerprints, comments, path globs,
// and precise errors (file and line) for anything else.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/input_error.h"
#include "core/secret_hash.h"
#include "suppress/suppress.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan {
namespace {

using testing::fake_user_token;
using testing::TempDir;

std::string fp(std::string_view seed) { return fingerprint("sentry-user-token", fake_user_token(seed)); }

// Parses `text` expecting an InputError; returns it for inspection.
InputError parse_error(std::string_view text, std::string_view origin = "repo/.sentryscanignore") {
  try {
    parse_ignore_file(text, origin);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError for:\n" << text;
  return InputError("", 0, "");
}

TEST(IgnoreFile, FingerprintsCommentsAndBlankLines) {
  const std::string text = fmt::format(
      "# secrets we accepted\n"
      "\n"
      "{}\n"
      "   {}   \n"
      "\t# indented comment\n"
      "{}  # test fixture, revoked 2024-05-01\n"
      "{}\t#tab before comment\n",
      fp("a"), fp("b"), fp("c"), fp("d"));
  const IgnoreFile ignore = parse_ignore_file(text, ".sentryscanignore");
  EXPECT_EQ(ignore.fingerprints.size(), 4u);
  for (const auto* seed : {"a", "b", "c", "d"}) EXPECT_TRUE(ignore.fingerprints.contains(fp(seed))) << seed;
  EXPECT_TRUE(ignore.path_globs.empty());
}

TEST(IgnoreFile, PathGlobs) {
  const IgnoreFile ignore = parse_ignore_file(
      "path:tests/fixtures/**\n"
      "path:   *.min.js   # generated bundles\n"
      "path:docs/issue#12/*\n",
      ".sentryscanignore");
  EXPECT_EQ(ignore.path_globs, (std::vector<std::string>{"tests/fixtures/**", "*.min.js", "docs/issue#12/*"}));
  EXPECT_TRUE(ignore.fingerprints.empty());
}

TEST(IgnoreFile, CrlfBomAndNoFinalNewline) {
  const std::string text = fmt::format("\xEF\xBB\xBF# from Windows\r\n{}\r\npath:vendor/**\r\n{}", fp("a"), fp("b"));
  const IgnoreFile ignore = parse_ignore_file(text, ".sentryscanignore");
  EXPECT_EQ(ignore.fingerprints.size(), 2u);
  EXPECT_TRUE(ignore.fingerprints.contains(fp("a")));
  EXPECT_TRUE(ignore.fingerprints.contains(fp("b")));
  EXPECT_EQ(ignore.path_globs, std::vector<std::string>{"vendor/**"});
}

TEST(IgnoreFile, EmptyTextIsEmpty) {
  const IgnoreFile ignore = parse_ignore_file("", "x");
  EXPECT_TRUE(ignore.fingerprints.empty());
  EXPECT_TRUE(ignore.path_globs.empty());
}

TEST(IgnoreFile, ErrorsNameFileAndLine) {
  const std::string good = fp("good");
  struct Case {
    std::string text;
    std::size_t line;
    std::string says;
  };
  const std::vector<Case> cases = {
      {fmt::format("{}\nnot a valid line\n", good), 2, "expected a fingerprint"},
      {fmt::format("# c\n\n{}\n", good.substr(0, good.size() - 1)), 3, "31 hex digits"},
      {fmt::format("{}0\n", good), 1, "33 hex digits"},
      {"sentryscan:v1:" + std::string(32, 'A') + "\n", 1, "lowercase"},
      {"sentryscan:v1:" + std::string(31, 'a') + "g\n", 1, "not a hex digit"},
      {"sentryscan:v2:" + std::string(32, 'a') + "\n", 1, "unsupported fingerprint version"},
      {fmt::format("{}\r\n\r\n# x\r\npath:\r\n", good), 4, "empty glob"},
      {"path:   # only a comment\n", 1, "empty glob"},
      {fmt::format("{} trailing-words\n", good), 1, "not a hex digit"},
      {"vendor/**\n", 1, "'path:GLOB'"},
      {"fingerprint = " + good + "\n", 1, "expected a fingerprint"},
  };
  for (const auto& c : cases) {
    const InputError e = parse_error(c.text);
    EXPECT_EQ(e.file(), "repo/.sentryscanignore") << c.text;
    EXPECT_EQ(e.line(), c.line) << c.text;
    const std::string what = e.what();
    EXPECT_NE(what.find(fmt::format("repo/.sentryscanignore:{}:", c.line)), std::string::npos) << what;
    EXPECT_NE(what.find(c.says), std::string::npos) << what;
  }
}

TEST(IgnoreFile, PastedCredentialIsRejectedWithoutEchoingIt) {
  const std::string token = fake_user_token("pasted");
  const std::string dsn = testing::fake_dsn("pasted");
  for (const auto& secret : {token, dsn, testing::fake_org_token("pasted")}) {
    const InputError e = parse_error(fmt::format("{}\n{}\n", fp("ok"), secret));
    EXPECT_EQ(e.line(), 2u);
    const std::string what = e.what();
    EXPECT_NE(what.find("looks like a credential"), std::string::npos) << what;
    EXPECT_EQ(what.find(secret.substr(10, 16)), std::string::npos) << "secret echoed: " << what;
  }
}

TEST(IgnoreFile, MessagesNeverQuoteTheLine) {
  const std::string hex = testing::fake_hex("long", 64);  // e.g. a legacy token pasted alone
  for (const auto& line : {hex, "sentryscan:v1:" + hex, "token=" + hex}) {
    const std::string what = parse_error(line + "\n").what();
    EXPECT_EQ(what.find(hex.substr(8, 16)), std::string::npos) << what;
  }
}

TEST(IgnoreFile, LoadMissingFileIsEmpty) {
  TempDir dir;
  const IgnoreFile ignore = load_ignore_file(dir.path() / ".sentryscanignore");
  EXPECT_TRUE(ignore.fingerprints.empty());
  EXPECT_TRUE(ignore.path_globs.empty());
  // The scanned "root" is a file: no ignore file can live below it.
  const auto file = dir.write("plain.txt", "x");
  EXPECT_TRUE(load_ignore_file(file / ".sentryscanignore").fingerprints.empty());
}

TEST(IgnoreFile, LoadReadsTheFile) {
  TempDir dir;
  const auto path = dir.write(".sentryscanignore", fp("a") + "\npath:fixtures/**\n");
  const IgnoreFile ignore = load_ignore_file(path);
  EXPECT_TRUE(ignore.fingerprints.contains(fp("a")));
  EXPECT_EQ(ignore.path_globs, std::vector<std::string>{"fixtures/**"});
}

TEST(IgnoreFile, LoadErrorsNameTheRealPath) {
  TempDir dir;
  const auto path = dir.write(".sentryscanignore", fp("a") + "\nbogus\n");
  try {
    load_ignore_file(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path.string());
    EXPECT_EQ(e.line(), 2u);
  }
}

TEST(IgnoreFile, UnreadableIsAnError) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / ".sentryscanignore");
  try {
    load_ignore_file(dir.path() / ".sentryscanignore");
    FAIL() << "a directory named .sentryscanignore was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(".sentryscanignore: cannot read"), std::string::npos) << e.what();
  }
}

TEST(IgnoreFile, PermissionDeniedIsAnError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  TempDir dir;
  const auto path = dir.write(".sentryscanignore", fp("a") + "\n");
  std::filesystem::permissions(path, std::filesystem::perms::none);
  EXPECT_THROW(load_ignore_file(path), InputError);
}

TEST(IgnoreFile, FifoWithoutWriterDoesNotHang) {
  // A repository can contain a FIFO named .sentryscanignore; the scan must go on.
  TempDir dir;
  const auto path = dir.path() / ".sentryscanignore";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  EXPECT_TRUE(load_ignore_file(path).fingerprints.empty());
}

}  // namespace
}  // namespace sentryscan
