// `sentryscan git --state FILE [--new-only]`: nightly re-audits that scan
// only what is new since the last complete audit, on real repositories
// through the real binary. Counts come from the SARIF report's properties
// (items scanned, the summary note, suppressions).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/fake_tokens.h"
#include "support/git_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

struct StateScan {
  CliResult process;
  std::uint64_t blobs = 0;  // items scanned
  std::string note;         // the summary's note
  std::uint64_t earlier_audit = 0;
  nlohmann::json findings = nlohmann::json::array();  // each result's properties (secret_sha256, fingerprint...)
};

StateScan state_scan(const GitRepo& repo, const std::filesystem::path& state, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"git", repo.path().string(), "--state", state.string(), "--format", "sarif",
                                "--no-color"};
  args.insert(args.end(), extra.begin(), extra.end());
  CliOptions options;
  options.env = git_test_env();
  StateScan scan;
  scan.process = run_sentryscan(args, options);
  const auto sarif = nlohmann::json::parse(scan.process.out, nullptr, false);
  if (sarif.is_discarded() || !sarif.contains("runs")) return scan;
  const auto& run = sarif["runs"][0];
  const auto& properties = run["invocations"][0]["properties"];
  scan.blobs = properties.value("items_scanned", std::uint64_t{0});
  scan.note = properties.value("note", std::string());
  scan.earlier_audit = properties["suppressed"].value("earlier_audit", std::uint64_t{0});
  for (const auto& result : run["results"]) scan.findings.push_back(result["properties"]);
  return scan;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Three commits, one holding a token: 3 blobs.
void seed(GitRepo& repo) {
  repo.commit_file("README.md", "hello\n", "init");
  repo.commit_file("app/settings.py", "DEBUG = False\n", "settings");
  repo.commit_file("config/prod.env", "A=1\n" + user_token_line("old"), "prod env");
}

TEST(GitStateCli, SecondRunWithoutNewCommitsScansNothing) {
  GitRepo repo;
  seed(repo);
  TempDir dir;
  const auto state = dir.path() / "state.json";
  const StateScan first = state_scan(repo, state);
  EXPECT_EQ(first.process.exit_code, 1) << first.process.err;
  EXPECT_EQ(first.blobs, 3u);
  EXPECT_EQ(findings_of(first.findings, user_token("old")).size(), 1u);
  EXPECT_NE(first.note.find("full audit"), std::string::npos) << first.note;
  EXPECT_NE(first.process.err.find("no earlier audit"), std::string::npos) << first.process.err;
  ASSERT_TRUE(std::filesystem::exists(state));

  const StateScan second = state_scan(repo, state);
  EXPECT_EQ(second.process.exit_code, 0) << second.process.err;
  EXPECT_EQ(second.blobs, 0u);
  EXPECT_TRUE(second.findings.empty()) << second.process.out;
  // A pass must not look like a full audit's pass.
  EXPECT_NE(second.note.find("INCREMENTAL"), std::string::npos) << second.note;
  EXPECT_NE(second.note.find(state.string()), std::string::npos) << second.note;
  EXPECT_NE(second.process.err.find("incremental audit"), std::string::npos) << second.process.err;
}

TEST(GitStateCli, NewCommitWithTokenScansOnlyItsBlob) {
  GitRepo repo;
  seed(repo);
  TempDir dir;
  const auto state = dir.path() / "state.json";
  ASSERT_EQ(state_scan(repo, state).process.exit_code, 1);
  const std::string added = repo.commit_file("deploy/new.env", user_token_line("new"), "new secret");
  const StateScan next = state_scan(repo, state);
  EXPECT_EQ(next.process.exit_code, 1) << next.process.err;
  EXPECT_EQ(next.blobs, 1u);
  const auto found = findings_of(next.findings, user_token("new"));
  ASSERT_EQ(found.size(), 1u) << next.process.out;
  EXPECT_EQ(found[0]["source"]["commit"], added);
  EXPECT_TRUE(findings_of(next.findings, user_token("old")).empty());
  EXPECT_NE(next.note.find("1 new commit"), std::string::npos) << next.note;
}

TEST(GitStateCli, BlobTheLastAuditSawIsNotScannedAgainAtANewPath) {
  GitRepo repo;
  seed(repo);
  TempDir dir;
  const auto state = dir.path() / "state.json";
  ASSERT_EQ(state_scan(repo, state).process.exit_code, 1);
  // A copy of a file the last audit scanned, on a new branch.
  repo.git({"checkout", "-q", "-b", "copy"});
  repo.commit_file("backup/prod.env", "A=1\n" + user_token_line("old"), "copy");
  const StateScan next = state_scan(repo, state);
  EXPECT_EQ(next.process.exit_code, 0) << next.process.err;
  EXPECT_EQ(next.blobs, 0u);
}

TEST(GitStateCli, NewOnlyHidesSeenFindingsAndShowsNewOnes) {
  GitRepo repo;
  seed(repo);
  TempDir dir;
  const auto state = dir.path() / "state.json";
  ASSERT_EQ(state_scan(repo, state).process.exit_code, 1);
  // A new version of the file: the old token again, and a new one.
  repo.commit_file("config/prod.env", "A=2\n" + user_token_line("old") + user_token_line("fresh"), "more");
  const StateScan next = state_scan(repo, state, {"--new-only"});
  EXPECT_EQ(next.process.exit_code, 1) << next.process.err;
  EXPECT_EQ(next.blobs, 1u);
  EXPECT_EQ(findings_of(next.findings, user_token("fresh")).size(), 1u) << next.process.out;
  EXPECT_TRUE(findings_of(next.findings, user_token("old")).empty()) << next.process.out;
  EXPECT_EQ(next.earlier_audit, 1u);

  // Without --new-only the new blob's findings are all reported.
  repo.commit_file("config/prod.env", "A=3\n" + user_token_line("old") + user_token_line("fresh"), "again");
  const StateScan plain = state_scan(repo, state);
  EXPECT_EQ(plain.process.exit_code, 1);
  EXPECT_EQ(findings_of(plain.findings, user_token("old")).size(), 1u);
  EXPECT_EQ(findings_of(plain.findings, user_token("fresh")).size(), 1u);
}

TEST(GitStateCli, ChangedRulesExcludesOrLimitsRescanEverything) {
  GitRepo repo;
  seed(repo);
  TempDir dir;
  const auto state = dir.path() / "state.json";
  ASSERT_EQ(state_scan(repo, state).process.exit_code, 1);
  ASSERT_EQ(state_scan(repo, state).blobs, 0u);

  const StateScan excluded = state_scan(repo, state, {"--exclude", "docs/**"});
  EXPECT_EQ(excluded.blobs, 3u) << excluded.process.err;
  EXPECT_NE(excluded.process.err.find("rules or settings"), std::string::npos) << excluded.process.err;
  EXPECT_NE(excluded.note.find("full audit"), std::string::npos);
  EXPECT_EQ(state_scan(repo, state, {"--exclude", "docs/**"}).blobs, 0u);

  EXPECT_EQ(state_scan(repo, state, {"--exclude", "docs/**", "--max-file-size", "1MiB"}).blobs, 3u);
  EXPECT_EQ(state_scan(repo, state, {"--exclude", "docs/**", "--max-decode-depth", "1"}).blobs, 3u);

  const std::string rule = R"([[rule]]
id = "internal-relay-key"
description = "Key of our Sentry relay"
severity = "high"
[[rule.pattern]]
prefilter = 'relaykey_[a-z0-9]{12}'
confirm = '(?P<secret>relaykey_[a-z0-9]{12})'
)";
  const auto rules = dir.write("extra.toml", rule);
  EXPECT_EQ(state_scan(repo, state, {"--rules", rules.string()}).blobs, 3u);
  EXPECT_EQ(state_scan(repo, state, {"--rules", rules.string()}).blobs, 0u);
  dir.write("extra.toml", rule + "# edited\n");
  const StateScan edited = state_scan(repo, state, {"--rules", rules.string()});
  EXPECT_EQ(edited.blobs, 3u) << edited.process.err;

  // The repository's ignore file counts too.
  repo.write(".sentryscanignore", "path:vendor/**\n");
  EXPECT_EQ(state_scan(repo, state, {"--rules", rules.string()}).blobs, 3u);
}

TEST(GitStateCli, ForcePushRescansEverythingAndSaysWhy) {
  GitRepo repo;
  seed(repo);
  TempDir dir;
  const auto state = dir.path() / "state.json";
  ASSERT_EQ(state_scan(repo, state).process.exit_code, 1);
  repo.git({"reset", "-q", "--hard", "HEAD~1"});
  repo.commit_file("other.txt", "rewritten\n", "rewritten history");
  const StateScan next = state_scan(repo, state);
  EXPECT_EQ(next.process.exit_code, 0) << next.process.err;
  EXPECT_EQ(next.blobs, 3u);
  EXPECT_NE(next.process.err.find("refs/heads/main was rewritten"), std::string::npos) << next.process.err;
  EXPECT_NE(next.note.find("refs/heads/main was rewritten"), std::string::npos) << next.note;
}

TEST(GitStateCli, DeletedBranchRescansEverythingAndSaysWhy) {
  GitRepo repo;
  seed(repo);
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.commit_file("feature.txt", "feature\n", "feature");
  repo.git({"checkout", "-q", "main"});
  TempDir dir;
  const auto state = dir.path() / "state.json";
  ASSERT_EQ(state_scan(repo, state).process.exit_code, 1);
  repo.git({"branch", "-q", "-D", "feature"});
  const StateScan next = state_scan(repo, state);
  EXPECT_EQ(next.process.exit_code, 1) << next.process.err;
  EXPECT_GE(next.blobs, 3u);
  EXPECT_NE(next.process.err.find("refs/heads/feature was deleted"), std::string::npos) << next.process.err;
}

TEST(GitStateCli, IncompleteRunDoesNotAdvanceTheState) {
  GitRepo repo;
  seed(repo);
  TempDir dir;
  const auto state = dir.path() / "state.json";
  ASSERT_EQ(state_scan(repo, state).process.exit_code, 1);
  const std::string before = slurp(state);

  const std::string content = user_token_line("unread");
  repo.commit_file("late.env", content, "late secret");
  const auto object = repo.loose_object_path(repo.blob_id(content));
  const std::string saved = slurp(object);
  std::filesystem::permissions(object, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::filesystem::remove(object);
  const StateScan broken = state_scan(repo, state);
  EXPECT_EQ(broken.process.exit_code, 3) << broken.process.err;
  EXPECT_NE(broken.process.err.find("not updated"), std::string::npos) << broken.process.err;
  EXPECT_EQ(slurp(state), before);

  {
    std::ofstream out(object, std::ios::binary);
    out << saved;
  }
  const StateScan repaired = state_scan(repo, state);
  EXPECT_EQ(repaired.process.exit_code, 1) << repaired.process.err;
  EXPECT_EQ(repaired.blobs, 1u);
  EXPECT_EQ(findings_of(repaired.findings, user_token("unread")).size(), 1u);
}

TEST(GitStateCli, StateFileHoldsNoSecretAndNoTemporaryFileStays) {
  GitRepo repo;
  seed(repo);
  TempDir dir;
  const auto state = dir.path() / "state.json";
  ASSERT_EQ(state_scan(repo, state).process.exit_code, 1);
  ASSERT_EQ(state_scan(repo, state, {"--show-secrets"}).process.exit_code, 0);
  const std::string text = slurp(state);
  EXPECT_EQ(text.find(user_token("old")), std::string::npos);
  EXPECT_NE(text.find("\"sentryscan_state\": 1"), std::string::npos) << text;
  EXPECT_NE(text.find("sentryscan:v1:"), std::string::npos) << text;  // the fingerprint seen
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(GitStateCli, DamagedOrUnknownStateFileIsAUsageError) {
  GitRepo repo;
  seed(repo);
  TempDir dir;
  const auto damaged = dir.write("damaged.json", "{\"sentryscan_state\": 1, \"repositories\": {\"x\": ");
  const StateScan first = state_scan(repo, damaged);
  EXPECT_EQ(first.process.exit_code, 2) << first.process.err;
  EXPECT_NE(first.process.err.find("damaged state file"), std::string::npos) << first.process.err;
  EXPECT_EQ(slurp(damaged), "{\"sentryscan_state\": 1, \"repositories\": {\"x\": ");

  const auto future = dir.write("future.json", "{\"sentryscan_state\": 99, \"repositories\": {}}");
  const StateScan second = state_scan(repo, future);
  EXPECT_EQ(second.process.exit_code, 2);
  EXPECT_NE(second.process.err.find("version 99"), std::string::npos) << second.process.err;

  const auto wrong = dir.write("wrong.json",
                               "{\"sentryscan_state\": 1, \"repositories\": {\"x\": {\"audited_at\": \"\", "
                               "\"settings_digest\": \"zz\", \"tips\": [], \"seen\": []}}}");
  EXPECT_EQ(state_scan(repo, wrong).process.exit_code, 2);
}

TEST(GitStateCli, StateRefusesRangesAllObjectsAndOtherCommands) {
  GitRepo repo;
  seed(repo);
  TempDir dir;
  const auto state = dir.path() / "state.json";
  const StateScan since = state_scan(repo, state, {"--since", "HEAD~1"});
  EXPECT_EQ(since.process.exit_code, 2);
  EXPECT_NE(since.process.err.find("--since excludes --state"), std::string::npos) << since.process.err;
  const StateScan all = state_scan(repo, state, {"--all-objects"});
  EXPECT_EQ(all.process.exit_code, 2);
  EXPECT_NE(all.process.err.find("--all-objects excludes --state"), std::string::npos) << all.process.err;
  EXPECT_FALSE(std::filesystem::exists(state));
  CliOptions options;
  options.env = git_test_env();
  const CliResult new_only = run_sentryscan({"git", repo.path().string(), "--new-only"}, options);
  EXPECT_EQ(new_only.exit_code, 2) << new_only.err;
  EXPECT_NE(new_only.err.find("--new-only requires --state"), std::string::npos) << new_only.err;
  const CliResult scan = run_sentryscan({"scan", repo.path().string(), "--state", state.string()});
  EXPECT_EQ(scan.exit_code, 2) << scan.err;
}

}  // namespace
}  // namespace sentryscan::testing
