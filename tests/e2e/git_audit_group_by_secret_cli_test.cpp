// `sentryscan git` audits grouped by secret (one entry per rule + fingerprint,
// not per blob version): first entry into history, counts, ref tips, HEAD,
// validation once; text grouped by default, json/jsonl per location unless
// --group-by secret. Real repositories, the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "support/fake_sentry.h"
#include "support/fake_tokens.h"
#include "support/git_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

// The text report of an audit of `repo` (no colour), with extra flags.
CliResult audit_text(const GitRepo& repo, std::vector<std::string> extra = {},
                     std::map<std::string, std::string> env = {}) {
  std::vector<std::string> args = {"git", repo.path().string(), "--no-color"};
  args.insert(args.end(), extra.begin(), extra.end());
  CliOptions options;
  options.env = git_test_env();
  for (const auto& [key, value] : env) options.env[key] = value;
  return run_sentryscan(args, options);
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

std::string line_with(const std::string& text, const std::string& label) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(label) != std::string::npos) return line;
  return {};
}

// One token in a file edited in three commits, tagged on the way, renamed,
// then edited again: four blob versions, two paths, five introducing commits.
struct EditedSecret {
  GitRepo repo;
  std::string first_commit;
  EditedSecret() {
    repo.commit_file("README.md", "hello\n", "init");
    first_commit = repo.commit_file("config.env", user_token_line("edited") + "V=1\n", "add config");
    repo.commit_file("config.env", user_token_line("edited") + "V=2\n", "v2");
    repo.git({"tag", "v2"});
    repo.commit_file("config.env", user_token_line("edited") + "V=3\n", "v3");
    repo.git({"mv", "config.env", "settings.env"});
    repo.commit("rename");
    repo.commit_file("settings.env", user_token_line("edited") + "V=4\n", "v4");
  }
};

TEST(GitAuditGroupBySecret, OneSecretEditedAndRenamedIsOneGroupWithFirstCommitCountsAndTips) {
  EditedSecret edited;
  const GitScan located = git_scan({"git", edited.repo.path().string()});
  EXPECT_EQ(located.process.exit_code, 1) << located.process.err;
  // json stays one object per location (blob version) by default, as before.
  ASSERT_EQ(located.findings.size(), 4u) << located.process.out;
  for (const auto& f : located.findings) {
    EXPECT_FALSE(f.contains("locations"));
    EXPECT_FALSE(f.contains("counts"));
    EXPECT_FALSE(f["source"].contains("ref_tips"));
  }

  const GitScan grouped = git_scan({"git", edited.repo.path().string(), "--group-by", "secret"});
  EXPECT_EQ(grouped.process.exit_code, 1) << grouped.process.err;
  ASSERT_EQ(grouped.findings.size(), 1u) << grouped.process.out;
  const auto& group = grouped.findings[0];
  EXPECT_EQ(group["rule_id"], located.findings[0]["rule_id"]);
  EXPECT_EQ(group["fingerprint"], located.findings[0]["fingerprint"]);
  EXPECT_EQ(group["first_seen"]["commit"], edited.first_commit);
  EXPECT_EQ(group["first_seen"]["path"], "config.env");
  EXPECT_EQ(group["first_seen"]["message"], "add config");
  EXPECT_EQ(group["first_seen"]["author"], "Test Author");
  EXPECT_EQ(group["counts"]["locations"], 4);
  EXPECT_EQ(group["counts"]["blob_versions"], 4);
  EXPECT_EQ(group["counts"]["paths"], 2);
  EXPECT_EQ(group["counts"]["commits"], 5);
  EXPECT_EQ(group["ref_tips"], nlohmann::json::array({"HEAD", "refs/heads/main", "refs/tags/v2"}));
  EXPECT_EQ(group["in_head"], true);
  EXPECT_EQ(group["validation"]["status"], "not_checked");
  ASSERT_EQ(group["locations"].size(), 4u);
  // Each location is the per-location object, unchanged.
  std::set<std::string> blobs;
  for (const auto& location : group["locations"]) blobs.insert(location["source"]["blob"]);
  for (const auto& f : located.findings) EXPECT_TRUE(blobs.contains(f["source"]["blob"]));
}

TEST(GitAuditGroupBySecret, SecretDeletedFromHeadButKeptOnABranchNamesTheBranch) {
  GitRepo repo;
  repo.commit_file("README.md", "hello\n", "init");
  const std::string added = repo.commit_file("prod.env", user_token_line("kept"), "add prod env");
  repo.git({"branch", "keep"});
  repo.remove("prod.env");
  repo.commit("remove prod env");

  const GitScan grouped = git_scan({"git", repo.path().string(), "--group-by", "secret"});
  ASSERT_EQ(grouped.findings.size(), 1u) << grouped.process.out << grouped.process.err;
  EXPECT_EQ(grouped.findings[0]["first_seen"]["commit"], added);
  EXPECT_EQ(grouped.findings[0]["ref_tips"], nlohmann::json::array({"refs/heads/keep"}));
  EXPECT_EQ(grouped.findings[0]["in_head"], false);

  const CliResult text = audit_text(repo);
  EXPECT_EQ(text.exit_code, 1) << text.err;
  EXPECT_NE(line_with(text.out, "ref tips:").find("refs/heads/keep"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("not in HEAD's tree"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("rotate it"), std::string::npos) << text.out;
}

TEST(GitAuditGroupBySecret, TwoSecretsInOneBlobAreTwoGroups) {
  GitRepo repo;
  repo.commit_file("two.env", user_token_line("one") + user_token_line("two"), "two secrets");
  const GitScan grouped = git_scan({"git", repo.path().string(), "--group-by", "secret"});
  ASSERT_EQ(grouped.findings.size(), 2u) << grouped.process.out << grouped.process.err;
  EXPECT_NE(grouped.findings[0]["fingerprint"], grouped.findings[1]["fingerprint"]);
  for (const auto& group : grouped.findings) {
    EXPECT_EQ(group["counts"]["locations"], 1);
    EXPECT_EQ(group["counts"]["blob_versions"], 1);
    EXPECT_EQ(group["in_head"], true);
  }
  EXPECT_EQ(findings_of(grouped.findings, user_token("one")).size(), 1u);
  EXPECT_EQ(findings_of(grouped.findings, user_token("two")).size(), 1u);
}

TEST(GitAuditGroupBySecret, TextIsGroupedByDefaultAndPerLocationOnRequest) {
  EditedSecret edited;
  const CliResult grouped = audit_text(edited.repo);
  EXPECT_EQ(grouped.exit_code, 1) << grouped.err;
  EXPECT_EQ(occurrences(grouped.out, "  secret:"), 1u) << grouped.out;
  EXPECT_NE(line_with(grouped.out, "history:").find("4 blob versions, 2 paths, 5 commits (4 locations)"),
            std::string::npos)
      << grouped.out;
  EXPECT_NE(line_with(grouped.out, "first seen:").find(edited.first_commit.substr(0, 12)), std::string::npos)
      << grouped.out;
  EXPECT_NE(grouped.out.find("in HEAD's tree: remove it there"), std::string::npos) << grouped.out;
  EXPECT_NE(grouped.out.find("4 findings of 1 secret:"), std::string::npos) << grouped.out;

  const CliResult located = audit_text(edited.repo, {"--group-by", "location"});
  EXPECT_EQ(located.exit_code, 1) << located.err;
  EXPECT_EQ(occurrences(located.out, "  secret:"), 4u) << located.out;
  EXPECT_EQ(located.out.find("first seen:"), std::string::npos) << located.out;
}

TEST(GitAuditGroupBySecret, JsonlGroupedIsOneLinePerSecretAndStillABaseline) {
  GitRepo repo;
  repo.commit_file("a.env", user_token_line("a") + "X=1\n", "a");
  repo.commit_file("a.env", user_token_line("a") + "X=2\n", "a2");
  repo.commit_file("b.env", user_token_line("b"), "b");
  const CliResult lines = audit_text(repo, {"--format", "jsonl", "--group-by", "secret"});
  EXPECT_EQ(lines.exit_code, 1) << lines.err;
  EXPECT_EQ(occurrences(lines.out, "\n"), 2u) << lines.out;
  std::istringstream in(lines.out);
  for (std::string line; std::getline(in, line);) {
    const auto group = nlohmann::json::parse(line);
    EXPECT_TRUE(group.contains("locations"));
    EXPECT_TRUE(group.contains("fingerprint"));
  }

  TempDir dir;
  const auto baseline = dir.path() / "grouped.jsonl";
  std::ofstream(baseline) << lines.out;
  const CliResult again = audit_text(repo, {"--baseline", baseline.string()});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("3 suppressed"), std::string::npos) << again.out;
}

TEST(GitAuditGroupBySecret, PerLocationFormatsRefuseGroupBySecret) {
  GitRepo repo;
  repo.commit_file("a.env", user_token_line("a"), "a");
  for (const char* format : {"sarif", "github", "gitlab"}) {
    const CliResult result = audit_text(repo, {"--format", format, "--group-by", "secret"});
    EXPECT_EQ(result.exit_code, 2) << format << result.err;
    EXPECT_NE(result.err.find("one result per location"), std::string::npos) << result.err;
  }
  // Not asked for: still one result per location, exit 1.
  EXPECT_EQ(audit_text(repo, {"--format", "sarif"}).exit_code, 1);
}

TEST(GitAuditGroupBySecret, RangeTextStaysPerLocation) {
  GitRepo repo;
  repo.commit_file("README.md", "hello\n", "init");
  repo.commit_file("a.env", user_token_line("r") + "X=1\n", "a");
  repo.commit_file("b.env", user_token_line("r"), "b");
  const CliResult range = audit_text(repo, {"--range", "HEAD~2..HEAD"});
  EXPECT_EQ(range.exit_code, 1) << range.err;
  EXPECT_EQ(occurrences(range.out, "  secret:"), 2u) << range.out;
  EXPECT_EQ(range.out.find("first seen:"), std::string::npos) << range.out;
  // Asked for, a range groups too.
  const CliResult grouped = audit_text(repo, {"--range", "HEAD~2..HEAD", "--group-by", "secret"});
  EXPECT_EQ(occurrences(grouped.out, "  secret:"), 1u) << grouped.out;
}

TEST(GitAuditGroupBySecret, ValidationRunsOncePerSecretAndShowsOnce) {
  EditedSecret edited;
  FakeSentry sentry;  // live
  const CliResult text = audit_text(edited.repo, {"--validate", "--allow-insecure-http", "--validate-timeout", "5"},
                                    {{"SENTRYSCAN_SAAS_URL", sentry.url()}});
  EXPECT_EQ(text.exit_code, 1) << text.err;
  EXPECT_EQ(sentry.count(), 1u);
  EXPECT_EQ(occurrences(text.out, "validation: LIVE"), 1u) << text.out;
  EXPECT_EQ(occurrences(text.out, "  secret:"), 1u) << text.out;
}

}  // namespace
}  // namespace sentryscan::testing
