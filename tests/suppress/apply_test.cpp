// apply_suppressions: what a user sees is which findings remain (in order)
// and how many each mechanism removed.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/secret_hash.h"
#include "suppress/suppress.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan {
namespace {

Finding make_finding(std::string_view seed, std::string path, std::uint64_t line = 1) {
  Finding f;
  f.rule_id = "sentry-user-token";
  f.severity = Severity::high;
  f.secret = testing::fake_user_token(seed);
  f.fingerprint = fingerprint(f.rule_id, f.secret);
  f.source.path = std::move(path);
  f.location = {line, 5, line, 75};
  return f;
}

std::vector<std::string> paths(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.source.path);
  return out;
}

TEST(ApplySuppressions, NothingConfiguredKeepsEverythingInOrder) {
  const auto outcome = apply_suppressions({make_finding("a", "z.txt"), make_finding("b", "a.txt"), make_finding("a", "m.txt")}, {});
  EXPECT_EQ(paths(outcome.kept), (std::vector<std::string>{"z.txt", "a.txt", "m.txt"}));
  EXPECT_EQ(outcome.counts.total(), 0u);
}

TEST(ApplySuppressions, InlineAllow) {
  auto allowed = make_finding("a", "x.py");
  allowed.allowed_inline = true;
  const auto outcome = apply_suppressions({allowed, make_finding("a", "y.py")}, {});
  EXPECT_EQ(paths(outcome.kept), std::vector<std::string>{"y.py"});  // same secret elsewhere still reported
  EXPECT_EQ(outcome.counts.inline_allow, 1u);
  EXPECT_EQ(outcome.counts.total(), 1u);
}

TEST(ApplySuppressions, IgnoreFileFingerprintMatchesEveryOccurrence) {
  Suppressions s;
  s.ignored_fingerprints.insert(make_finding("a", "").fingerprint);
  const auto outcome = apply_suppressions(
      {make_finding("a", "one.env", 3), make_finding("b", "two.env"), make_finding("a", "moved/three.env", 400)}, s);
  EXPECT_EQ(paths(outcome.kept), std::vector<std::string>{"two.env"});
  EXPECT_EQ(outcome.counts.ignore_file, 2u);
  EXPECT_EQ(outcome.counts.total(), 2u);
}

TEST(ApplySuppressions, FingerprintIsPerRule) {
  // The same text reported under another rule is a different finding.
  Suppressions s;
  s.ignored_fingerprints.insert(make_finding("a", "").fingerprint);
  auto other_rule = make_finding("a", "x");
  other_rule.rule_id = "sentry-legacy-token";
  other_rule.fingerprint = fingerprint(other_rule.rule_id, other_rule.secret);
  const auto outcome = apply_suppressions({other_rule}, s);
  EXPECT_EQ(outcome.kept.size(), 1u);
}

TEST(ApplySuppressions, IgnoreFilePathGlobs) {
  Suppressions s;
  s.ignored_paths = GlobSet({"tests/fixtures/**", "*.min.js"});
  const auto outcome = apply_suppressions({make_finding("a", "tests/fixtures/tokens.txt"), make_finding("b", "src/app.js"),
                                           make_finding("c", "web/dist/app.min.js"), make_finding("d", "fixtures/x.txt"),
                                           make_finding("e", "")},
                                          s);
  EXPECT_EQ(paths(outcome.kept), (std::vector<std::string>{"src/app.js", "fixtures/x.txt", ""}));
  EXPECT_EQ(outcome.counts.ignore_file, 2u);
}

TEST(ApplySuppressions, Baseline) {
  Suppressions s;
  s.baseline = {make_finding("old", "").fingerprint};
  // The old secret moved to another file and line: still in the baseline.
  const auto outcome = apply_suppressions({make_finding("new", "app.env", 2), make_finding("old", "renamed.env", 77)}, s);
  EXPECT_EQ(paths(outcome.kept), std::vector<std::string>{"app.env"});
  EXPECT_EQ(outcome.counts.baseline, 1u);
  EXPECT_EQ(outcome.counts.total(), 1u);
}

TEST(ApplySuppressions, EachFindingCountedOnceUnderTheFirstMechanism) {
  const auto a = make_finding("a", "fixtures/a.txt");
  Suppressions s;
  s.ignored_fingerprints = {a.fingerprint, make_finding("b", "").fingerprint};
  s.ignored_paths = GlobSet({"fixtures/**"});
  s.baseline = {a.fingerprint, make_finding("b", "").fingerprint, make_finding("c", "").fingerprint};

  auto inline_a = a;
  inline_a.allowed_inline = true;
  const auto outcome = apply_suppressions({inline_a,                              // inline, though all else matches
                                           a,                                     // ignore-file fingerprint
                                           make_finding("c", "fixtures/c.txt"),   // path glob before baseline
                                           make_finding("b", "src/b.txt"),        // ignore fingerprint before baseline
                                           make_finding("c", "src/c.txt"),        // baseline only
                                           make_finding("d", "src/d.txt")},       // kept
                                          s);
  EXPECT_EQ(paths(outcome.kept), std::vector<std::string>{"src/d.txt"});
  EXPECT_EQ(outcome.counts.inline_allow, 1u);
  EXPECT_EQ(outcome.counts.ignore_file, 3u);
  EXPECT_EQ(outcome.counts.baseline, 1u);
  EXPECT_EQ(outcome.counts.total(), 5u);
}

TEST(ApplySuppressions, FromFilesOnDisk) {
  // The whole user path: an ignore file and a jsonl baseline written by hand.
  testing::TempDir dir;
  const auto ignored = make_finding("ignored", "config/app.env");
  const auto old = make_finding("old", "deploy.yml", 10);
  const auto fresh = make_finding("fresh", "deploy.yml", 11);
  const auto vendored = make_finding("vendored", "vendor/sdk/init.js");
  dir.write(".sentryscanignore", fmt::format("# accepted\n{}  # revoked\npath:vendor/**\n", ignored.fingerprint));
  dir.write("baseline.jsonl", fmt::format("{{\"rule_id\":\"sentry-user-token\",\"fingerprint\":\"{}\",\"location\":{{\"line\":3}}}}\n",
                                          old.fingerprint));
  const IgnoreFile ignore = load_ignore_file(dir.path() / ".sentryscanignore");
  Suppressions s{ignore.fingerprints, GlobSet(ignore.path_globs), load_baseline(dir.path() / "baseline.jsonl")};
  const auto outcome = apply_suppressions({ignored, old, fresh, vendored}, s);
  ASSERT_EQ(outcome.kept.size(), 1u);
  EXPECT_EQ(outcome.kept[0].secret, fresh.secret);
  EXPECT_EQ(outcome.counts.ignore_file, 2u);
  EXPECT_EQ(outcome.counts.baseline, 1u);
}

}  // namespace
}  // namespace sentryscan
