// The PR gate trusts only the trusted side: in `git --range BASE..HEAD` the
// repository's .sentryscan.toml, .sentryscanignore and an in-repository
// baseline come from BASE, never from the range being judged; what the range
// changes in them, and every `sentryscan:allow` it adds, is said in every
// format (README, "What a scanned repository can and cannot control").
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support/git_cli.h"
#include "support/run_cli.h"

namespace sentryscan::testing {
namespace {

// BASE on main with an ordinary config; the branch `pr` adds a secret
// together with whatever `weaken` writes.
struct PullRequest {
  GitRepo repo;
  std::string base, head;

  template <typename Weaken>
  explicit PullRequest(Weaken weaken) {
    repo.write(".sentryscan.toml", "fail_on = \"medium\"\n");
    base = repo.commit_file("app.py", "print('hello')\n", "base");
    repo.git({"checkout", "-q", "-b", "pr"});
    repo.write("leak.env", user_token_line("pr-secret"));
    weaken(repo);
    head = repo.commit("the pull request");
  }

  GitScan scan(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"git", "--range", base + ".." + head, repo.path().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return git_scan(args);
  }
};

void expect_caught(const GitScan& scan, const std::string& what_changed) {
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.out << scan.process.err;
  EXPECT_EQ(findings_of(scan.findings, user_token("pr-secret")).size(), 1u) << scan.process.out;
  EXPECT_NE(scan.process.err.find(what_changed), std::string::npos) << scan.process.err;
  EXPECT_NE(scan.process.err.find("version in BASE"), std::string::npos) << scan.process.err;
}

TEST(RangeSettingsTrustCli, IgnoreFileAddedByTheRangeDoesNotApply) {
  PullRequest pr([](GitRepo& r) { r.write(".sentryscanignore", "path:**\n"); });
  expect_caught(pr.scan(), "this range adds .sentryscanignore: adds path: **");
}

TEST(RangeSettingsTrustCli, FingerprintAddedToTheIgnoreFileByTheRangeDoesNotApply) {
  PullRequest pr([](GitRepo& r) {
    const GitScan first = git_scan({"scan", (r.path() / "leak.env").string()});
    const std::string fingerprint = first.findings.at(0)["fingerprint"];
    r.write(".sentryscanignore", fingerprint + "\n");
  });
  expect_caught(pr.scan(), "adds 1 fingerprint(s)");
}

TEST(RangeSettingsTrustCli, FailOnRaisedByTheRangeDoesNotApply) {
  PullRequest pr([](GitRepo& r) { r.write(".sentryscan.toml", "fail_on = \"critical\"\n"); });
  expect_caught(pr.scan(), "fail_on medium -> critical");
}

TEST(RangeSettingsTrustCli, ExcludeEverythingAddedByTheRangeDoesNotApply) {
  PullRequest pr([](GitRepo& r) { r.write(".sentryscan.toml", "fail_on = \"medium\"\nexclude = [\"**\"]\n"); });
  const GitScan scan = pr.scan();
  expect_caught(scan, "adds exclude **");
  EXPECT_EQ(scan.process.err.find("scanned 0 blobs"), std::string::npos) << scan.process.err;
}

TEST(RangeSettingsTrustCli, TheNoteReachesEveryFormat) {
  PullRequest pr([](GitRepo& r) { r.write(".sentryscanignore", "path:**\n"); });
  const std::string range = pr.base + ".." + pr.head;
  CliOptions options;
  options.env = git_test_env();
  for (const std::string format : {"text", "sarif", "github"}) {
    const CliResult run =
        run_sentryscan({"git", "--range", range, pr.repo.path().string(), "--format", format}, options);
    EXPECT_EQ(run.exit_code, 1) << format << run.err;
    // sarif and github carry it in the report; a person reading a text report on
    // standard output sees it once, on stderr.
    const std::string& seen = format == "text" ? run.err : run.out;
    EXPECT_NE(seen.find("this range adds .sentryscanignore"), std::string::npos) << format << ": " << seen;
  }
}

TEST(RangeSettingsTrustCli, BaseSettingsStillApply) {
  // What BASE itself says is applied: excluding the path in BASE is trusted.
  GitRepo repo;
  repo.write(".sentryscanignore", "path:fixtures/**\n");
  const std::string base = repo.commit_file("app.py", "print('hello')\n", "base");
  repo.git({"checkout", "-q", "-b", "pr"});
  const std::string head = repo.commit_file("fixtures/sample.env", user_token_line("fixture"), "fixture");
  const GitScan scan = git_scan({"git", "--range", base + ".." + head, repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.out << scan.process.err;
  EXPECT_EQ(scan.process.err.find("this range"), std::string::npos) << scan.process.err;
}

TEST(RangeSettingsTrustCli, ConfigFromHeadIsAnExplicitChoice) {
  PullRequest pr([](GitRepo& r) { r.write(".sentryscanignore", "path:**\n"); });
  const GitScan scan = pr.scan({"--config-from", "head"});
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.out << scan.process.err;
  EXPECT_NE(scan.process.err.find("--config-from head"), std::string::npos) << scan.process.err;
  const GitScan worktree = pr.scan({"--config-from", "worktree"});
  EXPECT_EQ(worktree.process.exit_code, 0) << worktree.process.err;  // the checked-out `pr` files
  const GitScan audit = git_scan({"git", pr.repo.path().string(), "--config-from", "base"});
  EXPECT_EQ(audit.process.exit_code, 2) << audit.process.err;
}

TEST(RangeSettingsTrustCli, InlineAllowAddedByTheRangeIsNamed) {
  PullRequest pr([](GitRepo& r) {
    r.write("allowed.env", "TOKEN=" + user_token("allowed") + "  # sentryscan:allow\n");
  });
  const GitScan scan = pr.scan();
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;  // leak.env still fails it
  EXPECT_TRUE(findings_of(scan.findings, user_token("allowed")).empty()) << scan.process.out;
  EXPECT_NE(scan.process.err.find("allowed.env:1"), std::string::npos) << scan.process.err;
  EXPECT_NE(scan.process.err.find("a sentryscan:allow added by this range suppresses sentry-user-token"),
            std::string::npos)
      << scan.process.err;
}

TEST(RangeSettingsTrustCli, BaselineChangedByTheRangeIsReadFromBase) {
  GitRepo repo;
  repo.write("baseline.json", "[]\n");
  const std::string base = repo.commit_file("app.py", "print('hello')\n", "base");
  repo.git({"checkout", "-q", "-b", "pr"});
  repo.write("leak.env", user_token_line("pr-secret"));
  // The range baselines its own secret.
  const GitScan report = git_scan({"scan", (repo.path() / "leak.env").string()});
  repo.write("baseline.json", report.process.out);
  const std::string head = repo.commit("secret and its baseline");
  const GitScan scan = git_scan({"git", "--range", base + ".." + head, repo.path().string(), "--baseline",
                                 (repo.path() / "baseline.json").string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.out << scan.process.err;
  EXPECT_NE(scan.process.err.find("this range changes the baseline baseline.json"), std::string::npos)
      << scan.process.err;
  // Outside a range the same baseline applies as written.
  const GitScan files = git_scan({"scan", (repo.path() / "leak.env").string(), "--baseline",
                                  (repo.path() / "baseline.json").string()});
  EXPECT_EQ(files.process.exit_code, 0) << files.process.err;
}

TEST(RangeSettingsTrustCli, RepositoryConfigCannotChooseWhereTokensGo) {
  GitRepo repo;
  repo.write(".sentryscan.toml",
             "[validate]\nsentry_urls = [\"https://sentry.attacker.example\"]\ncache_file = \"/tmp/x\"\n");
  const std::string base = repo.commit_file("app.py", "print('hello')\n", "base");
  const GitScan scan = git_scan({"scan", repo.path().string()}, repo.path());
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.err;
  EXPECT_NE(scan.process.err.find("ignoring validate.sentry_urls: only the user may set it"), std::string::npos)
      << scan.process.err;
  EXPECT_NE(scan.process.err.find("ignoring validate.cache_file"), std::string::npos) << scan.process.err;
}

}  // namespace
}  // namespace sentryscan::testing
