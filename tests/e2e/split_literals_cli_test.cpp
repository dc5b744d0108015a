// Issue 12, strings split in source code, through the real binary: a
// generated credential written in parts (Rust `\` continuation, C adjacent
// literals, Python adjacent literals in parentheses, `+` in JS/TS/Java/Go) is
// reported once, joined, at its first part with the line of its last part,
// and `sentryscan:allow` on any line of it suppresses it.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>

#include "core/secret_hash.h"
#include "support/fake_tokens.h"
#include "support/git_cli.h"
#include "support/scan_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

JsonScan scan_file(const std::string& name, const std::string& content) {
  TempDir dir;
  dir.write(name, content);
  CliOptions options;
  options.cwd = dir.path();
  return scan_json({"--show-secrets", "--fail-on", "low", "."}, options);
}

// 1-based line and column of the first occurrence of `part` in `source`.
std::pair<int, int> place(const std::string& source, const std::string& part) {
  const std::size_t at = source.find(part);
  EXPECT_NE(at, std::string::npos) << part;
  const std::size_t line_start = source.rfind('\n', at) == std::string::npos ? 0 : source.rfind('\n', at) + 1;
  return {static_cast<int>(std::count(source.begin(), source.begin() + static_cast<long>(at), '\n')) + 1,
          static_cast<int>(at - line_start) + 1};
}

// The one finding of a scan of `source`, which must be `secret` joined, from
// its first part (`first`) to the line of its last part (`last`).
void expect_joined(const std::string& name, const std::string& source, const std::string& rule,
                   const std::string& secret, const std::string& first, const std::string& last) {
  const JsonScan scan = scan_file(name, source);
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  ASSERT_EQ(scan.findings.size(), 1u) << scan.process.out;
  const auto& f = scan.findings[0];
  EXPECT_EQ(f["rule_id"], rule);
  EXPECT_EQ(f["secret"], secret);
  EXPECT_EQ(f["fingerprint"], fingerprint(rule, secret));  // the same as the token written whole
  EXPECT_EQ(f["decoded"], nlohmann::json::array({"joined"}));
  EXPECT_EQ(f["location"]["line"], place(source, first).first);
  EXPECT_EQ(f["location"]["column"], place(source, first).second);
  EXPECT_EQ(f["location"]["end_line"], place(source, last).first);
}

// sentry-cli's own tests write org tokens this way.
TEST(SplitLiteralsCli, RustBackslashContinuation) {
  const std::string token = fake_org_token("rust-continuation");
  const std::size_t underscore = token.rfind('_');
  const std::string source = fmt::format(
      "#[test]\nfn parses() {{\n    let token = \"sntrys_\\\n        {}\\\n        {}\";\n    assert!(ok(token));\n}}\n",
      token.substr(7, underscore + 1 - 7), token.substr(underscore + 1));
  expect_joined("src/auth_token/test.rs", source, "sentry-org-token", token, "sntrys_", token.substr(underscore + 1));
}

TEST(SplitLiteralsCli, CAdjacentLiterals) {
  const std::string token = fake_user_token("c-adjacent");
  const std::string source = fmt::format("static const char *sentry_token =\n    \"{}\" \"{}\";\n",
                                         token.substr(0, 30), token.substr(30));
  expect_joined("auth.c", source, "sentry-user-token", token, token.substr(0, 30), token.substr(30));
}

TEST(SplitLiteralsCli, PythonAdjacentInParentheses) {
  const std::string dsn = fake_dsn("python-adjacent");
  const std::size_t at = dsn.find('@');
  const std::string source = fmt::format("import sentry_sdk\n\nsentry_sdk.init(\n    dsn=(\n        \"{}\"  # key\n"
                                         "        \"{}\"\n    ),\n)\n",
                                         dsn.substr(0, at), dsn.substr(at));
  expect_joined("app.py", source, "sentry-dsn", dsn, dsn.substr(0, at), dsn.substr(at));

  // A tuple of two strings is not one string.
  const std::string tuple = fmt::format("import sentry_sdk\n\nPARTS = (\n    \"{}\",\n    \"{}\",\n)\n",
                                        dsn.substr(0, at), dsn.substr(at));
  const auto apart = scan_file("parts.py", tuple);
  EXPECT_EQ(apart.process.exit_code, 0) << apart.process.out;
  EXPECT_TRUE(apart.findings.empty()) << apart.process.out;
}

TEST(SplitLiteralsCli, PlusConcatenationInJsJavaGo) {
  const std::string token = fake_user_token("plus-concatenation");
  const std::string head = token.substr(0, 20), middle = token.substr(20, 25), tail = token.substr(45);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"config.ts", fmt::format("export const SENTRY_TOKEN: string = \"{}\" +\n  \"{}\" +\n  \"{}\";\n", head, middle, tail)},
      {"Config.java", fmt::format("class Config {{\n  static final String SENTRY = \"{}\"\n      + \"{}\"\n      + \"{}\";\n}}\n",
                                  head, middle, tail)},
      {"config.go", fmt::format("package config\n\nconst sentryToken = \"{}\" + \"{}\" +\n\t\"{}\"\n", head, middle, tail)},
      {"config.js", fmt::format("const sentryToken = '{}' + '{}' + /* rest */ '{}';\n", head, middle, tail)},
  };
  for (const auto& [name, source] : cases) {
    SCOPED_TRACE(name);
    expect_joined(name, source, "sentry-user-token", token, head, tail);
  }
}

TEST(SplitLiteralsCli, AllowOnAnyLineOfTheSpanSuppresses) {
  const std::string token = fake_user_token("split-allow");
  for (int marked = -1; marked < 3; ++marked) {  // -1: no marker, the control
    SCOPED_TRACE(marked);
    std::string lines[3] = {fmt::format("const SENTRY = \"{}\" +", token.substr(0, 30)),
                            fmt::format("  \"{}\" +", token.substr(30, 20)), fmt::format("  \"{}\";", token.substr(50))};
    if (marked >= 0) lines[marked] += "  // sentryscan:allow";
    const auto scan = scan_file("allow.js", fmt::format("{}\n{}\n{}\n", lines[0], lines[1], lines[2]));
    EXPECT_EQ(scan.process.exit_code, marked < 0 ? 1 : 0) << scan.process.out;
    EXPECT_EQ(scan.findings.size(), marked < 0 ? 1u : 0u) << scan.process.out;
  }
}

// Joining only adds: a token whole in one part is reported once, as written;
// parts that do not touch (a comma between them) are not joined.
TEST(SplitLiteralsCli, WholePartsAndSeparateStringsAreNotJoined) {
  const std::string token = fake_user_token("whole-part");
  const auto whole = scan_file("whole.py", fmt::format("SENTRY = (\"{}\"\n          \"more text\")\n", token));
  ASSERT_EQ(whole.findings.size(), 1u) << whole.process.out;
  EXPECT_FALSE(whole.findings[0].contains("decoded")) << whole.process.out;  // found as written
  EXPECT_EQ(whole.findings[0]["location"]["end_line"], 1);

  const auto separate = scan_file("list.py", fmt::format("SENTRY_PARTS = [\"{}\", \"{}\"]\n", token.substr(0, 30),
                                                         token.substr(30)));
  EXPECT_EQ(separate.process.exit_code, 0) << separate.process.out;
}

TEST(SplitLiteralsCli, TextReportShowsTheEndLine) {
  const std::string token = fake_user_token("text-end-line");
  TempDir dir;
  dir.write("a.py", fmt::format("SENTRY_TOKEN = (\n    \"{}\"\n    \"{}\"\n)\n", token.substr(0, 40), token.substr(40)));
  CliOptions options;
  options.cwd = dir.path();
  const auto text = run_sentryscan({"scan", "--no-color", "."}, options);
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("a.py:2:6 to line 3"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("found after decoding joined"), std::string::npos) << text.out;
}

// The PR gate: a range that changes only the last part of a split
// credential adds a new secret, reported at its first line.
TEST(SplitLiteralsCli, RangeChangingTheLastPartReportsIt) {
  const std::string old_token = fake_user_token("range-old"), new_token = fake_user_token("range-new");
  auto source = [](const std::string& token, const std::string& tail) {
    return fmt::format("const SENTRY_TOKEN =\n  \"{}\" +\n  \"{}\";\n", token.substr(0, 40), tail);
  };
  // Two tokens sharing their first 40 characters differ only in the last part.
  const std::string changed = old_token.substr(0, 40) + new_token.substr(40);
  GitRepo repo;
  const std::string base = repo.commit_file("config.js", source(old_token, old_token.substr(40)), "base");
  const std::string head = repo.commit_file("config.js", source(old_token, new_token.substr(40)), "new last part");
  const GitScan scan = git_scan({"git", "--range", base + "..HEAD", "--show-secrets", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err << scan.process.out;
  ASSERT_EQ(scan.findings.size(), 1u) << scan.process.out;
  EXPECT_EQ(scan.findings[0]["secret"], changed);
  EXPECT_EQ(scan.findings[0]["source"]["commit"], head);
  EXPECT_EQ(scan.findings[0]["location"]["line"], 2);
  EXPECT_EQ(scan.findings[0]["location"]["end_line"], 3);
}

}  // namespace
}  // namespace sentryscan::testing
