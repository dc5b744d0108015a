// Baselines: previous json / jsonl reports. Only fingerprints are kept; every
// malformed file is rejected naming the file and the line.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/input_error.h"
#include "core/secret_hash.h"
#include "suppress/suppress.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan {
namespace {

using nlohmann::json;
using testing::TempDir;

// A finding object shaped like SPEC 2's json report, with text that trips
// naive scanners (brackets and quotes inside strings).
json report_entry(std::string_view seed, int line) {
  const std::string token = testing::fake_user_token(seed);
  return json{
      {"rule_id", "sentry-user-token"},
      {"severity", "high"},
      {"description", "Personal auth token [new format] \"sntryu_\" {64 hex}"},
      {"secret", redact(token)},
      {"secret_sha256", sha256_hex(token)},
      {"fingerprint", fingerprint("sentry-user-token", token)},
      {"location", {{"path", "ci/deploy.yml"}, {"line", line}, {"column", 3}, {"end_line", line}, {"end_column", 73}}},
      {"source", {{"kind", "git"}, {"commit", testing::fake_hex(seed, 40)}, {"message", "fix: ] } [ { \\ \""}}},
      {"validation", {{"status", "not_checked"}}},
  };
}

std::string fp(std::string_view seed) { return fingerprint("sentry-user-token", testing::fake_user_token(seed)); }

InputError load_error(const std::filesystem::path& path) {
  try {
    load_baseline(path);
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError for " << path;
  return InputError("", 0, "");
}

void expect_error_at(const TempDir& dir, std::string_view name, std::string_view content, std::size_t line,
                     std::string_view says) {
  const auto path = dir.write(name, content);
  const InputError e = load_error(path);
  EXPECT_EQ(e.file(), path.string()) << content;
  EXPECT_EQ(e.line(), line) << e.what() << "\n" << content;
  const std::string what = e.what();
  const std::string where = line ? fmt::format("{}:{}: ", path.string(), line) : path.string() + ": ";
  EXPECT_EQ(what.rfind(where, 0), 0u) << what;
  EXPECT_NE(what.find(says), std::string::npos) << what;
}

TEST(Baseline, JsonReportArray) {
  TempDir dir;
  const json report = json::array({report_entry("a", 12), report_entry("b", 40), report_entry("a", 99)});
  const auto baseline = load_baseline(dir.write("baseline.json", report.dump(2)));
  EXPECT_EQ(baseline, (std::unordered_set<std::string>{fp("a"), fp("b")}));
}

TEST(Baseline, JsonlReport) {
  TempDir dir;
  const std::string text =
      fmt::format("{}\n\n{}\r\n{}", report_entry("a", 1).dump(), report_entry("b", 2).dump(), report_entry("c", 3).dump());
  EXPECT_EQ(load_baseline(dir.write("baseline.jsonl", text)), (std::unordered_set<std::string>{fp("a"), fp("b"), fp("c")}));
}

TEST(Baseline, SingleObjectJsonl) {
  TempDir dir;
  EXPECT_EQ(load_baseline(dir.write("one.jsonl", report_entry("a", 1).dump() + "\n")),
            std::unordered_set<std::string>{fp("a")});
}

TEST(Baseline, EmptyArrayIsAnEmptyBaseline) {
  TempDir dir;
  EXPECT_TRUE(load_baseline(dir.write("empty.json", "[]\n")).empty());
  EXPECT_TRUE(load_baseline(dir.write("empty2.json", "\xEF\xBB\xBF[\n]")).empty());
}

TEST(Baseline, ByteOrderMarkIsTolerated) {
  TempDir dir;
  const json report = json::array({report_entry("a", 1)});
  EXPECT_EQ(load_baseline(dir.write("bom.json", "\xEF\xBB\xBF" + report.dump())), std::unordered_set<std::string>{fp("a")});
}

TEST(Baseline, EmptyFileIsAnError) {
  TempDir dir;
  expect_error_at(dir, "empty.json", "", 0, "baseline is empty");
  expect_error_at(dir, "blank.json", " \n\r\n\t\n", 0, "baseline is empty");
}

TEST(Baseline, MissingOrUnreadableFileIsAnError) {
  TempDir dir;
  const InputError e = load_error(dir.path() / "nope.json");
  EXPECT_NE(std::string(e.what()).find("cannot read baseline"), std::string::npos) << e.what();
  std::filesystem::create_directory(dir.path() / "adir");
  EXPECT_THROW(load_baseline(dir.path() / "adir"), InputError);
}

TEST(Baseline, MalformedJsonArrayNamesTheLine) {
  TempDir dir;
  const std::string a = report_entry("a", 1).dump();
  // A missing comma between the second and third entries, on line 4.
  expect_error_at(dir, "missing-comma.json", fmt::format("[\n{},\n{}\n{}\n]\n", a, a, a), 4, "malformed JSON");
  // Truncated write: the array never closes.
  expect_error_at(dir, "truncated.json", fmt::format("[\n{},\n{}", a, a.substr(0, a.size() / 2)), 3, "malformed JSON");
  expect_error_at(dir, "trailing-comma.json", fmt::format("[\n  {},\n]\n", a), 3, "malformed JSON");
  expect_error_at(dir, "crlf.json", fmt::format("[\r\n{},\r\n\r\n  oops\r\n]", a), 4, "malformed JSON");
}

TEST(Baseline, MalformedJsonlNamesTheLine) {
  TempDir dir;
  const std::string a = report_entry("a", 1).dump();
  expect_error_at(dir, "bad.jsonl", fmt::format("{}\n{}\n\n{}\n", a, a, a.substr(0, 40)), 4, "malformed JSON");
  expect_error_at(dir, "junk.jsonl", fmt::format("{}\nnot json\n", a), 2, "malformed JSON");
}

TEST(Baseline, ParseErrorsDoNotEchoSecrets) {
  TempDir dir;
  // A report written with --show-secrets, then corrupted right inside a secret.
  const std::string token = testing::fake_user_token("shown");
  const std::string broken = fmt::format("[{{\"fingerprint\": \"{}\", \"secret\": {}}}]", fp("shown"), token);
  const InputError e = load_error(dir.write("shown.json", broken));
  EXPECT_EQ(std::string(e.what()).find(token.substr(0, 12)), std::string::npos) << e.what();
  const InputError e2 = load_error(dir.write("shown.jsonl", broken.substr(1, broken.size() - 2)));
  EXPECT_EQ(std::string(e2.what()).find(token.substr(0, 12)), std::string::npos) << e2.what();
}

TEST(Baseline, EntryWithoutFingerprintNamesEntryAndLine) {
  TempDir dir;
  json report = json::array({report_entry("a", 1), report_entry("b", 2), report_entry("c", 3)});
  report[1].erase("fingerprint");
  // dump(2) puts each entry's opening brace on its own line; find entry 2's.
  const std::string text = report.dump(2);
  const std::size_t entry_line = 1 + static_cast<std::size_t>(
                                         std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(text.find("\n  {", text.find("\n  }"))) + 1, '\n'));
  ASSERT_GT(entry_line, 5u);
  expect_error_at(dir, "nofp.json", text, entry_line, "entry 2 has no \"fingerprint\"");
}

TEST(Baseline, InvalidEntriesAreRejected) {
  TempDir dir;
  const std::string a = report_entry("a", 1).dump();
  json bad = report_entry("b", 1);
  bad["fingerprint"] = "sentryscan:v1:1234";
  expect_error_at(dir, "short.json", fmt::format("[{},\n\n {}]", a, bad.dump()), 3, "entry 2 has a \"fingerprint\" that is not");
  bad["fingerprint"] = 42;
  expect_error_at(dir, "number.jsonl", fmt::format("{}\n{}\n", a, bad.dump()), 2, "\"fingerprint\" that is not");
  expect_error_at(dir, "scalar.json", fmt::format("[{}, \"x\"]", a), 1, "entry 2 is not a finding object");
  expect_error_at(dir, "array-line.jsonl", fmt::format("{}\n[1]\n", a), 2, "is not a finding object");
  expect_error_at(dir, "nofp.jsonl", fmt::format("{}\n{{\"rule_id\": \"x\"}}\n", a), 2, "has no \"fingerprint\"");
}

TEST(Baseline, SarifIsRejectedWithAHint) {
  TempDir dir;
  const json sarif = {{"version", "2.1.0"}, {"runs", json::array({json{{"results", json::array()}}})}};
  expect_error_at(dir, "report.sarif", sarif.dump(2), 0, "SARIF");
  expect_error_at(dir, "report-compact.sarif", sarif.dump(), 0, "SARIF");
}

}  // namespace
}  // namespace sentryscan
