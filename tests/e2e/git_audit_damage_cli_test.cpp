// `sentryscan git` on damaged or incomplete repositories: missing, corrupt and
// mistyped objects, shallow and partial clones. The rest of the scan always
// completes and the run is incomplete (exit 3) unless findings fail it.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

TEST(GitAuditDamageCli, DeletedLooseObjectIsNamedAndTheRestIsStillReported) {
  GitRepo repo;
  repo.commit_file("lost.env", user_token_line("lost"), "one");
  repo.commit_file("kept.env", user_token_line("kept"), "two");
  const std::string lost = repo.blob_id(user_token_line("lost"));
  std::filesystem::remove(repo.loose_object_path(lost));

  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1);  // the surviving finding fails the gate
  EXPECT_EQ(findings_of(scan.findings, user_token("kept")).size(), 1u);
  EXPECT_NE(scan.process.err.find(lost), std::string::npos) << scan.process.err;

  // With nothing else failing, the missing object alone is exit 3.
  const GitScan high_only = git_scan({"git", "--fail-on", "critical", repo.path().string()});
  EXPECT_EQ(high_only.process.exit_code, 3) << high_only.process.err;
  EXPECT_NE(high_only.process.err.find(lost), std::string::npos);
}

TEST(GitAuditDamageCli, CorruptObjectIsAnIncompleteScanNotACrash) {
  GitRepo repo;
  repo.commit_file("a.txt", "fine\n", "one");
  repo.commit_file("b.txt", "will be damaged\n", "two");
  const auto object = repo.loose_object_path(repo.blob_id("will be damaged\n"));
  std::filesystem::permissions(object, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::filesystem::resize_file(object, 10);
  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 3) << scan.process.err;
  EXPECT_NE(scan.process.err.find(repo.blob_id("will be damaged\n")), std::string::npos) << scan.process.err;
}

TEST(GitAuditDamageCli, TreeEntryThatIsNotABlobIsReportedNotSkipped) {
  // What a damaged pack entry header looks like from the walk: a tree says
  // "blob" but the object database has something else there.
  GitRepo repo;
  repo.commit_file("a.txt", "a\n", "init");
  const std::string tree = repo.rev("HEAD^{tree}");
  std::string raw_id;
  for (std::size_t i = 0; i < 40; i += 2) raw_id += static_cast<char>(std::stoi(tree.substr(i, 2), nullptr, 16));
  CliOptions options;
  options.cwd = repo.path();
  options.env = git_test_env();
  options.stdin_text = std::string("100644 fake.txt") + '\0' + raw_id;
  const CliResult forged = run_program({"git", "hash-object", "-t", "tree", "-w", "--literally", "--stdin"}, options);
  ASSERT_EQ(forged.exit_code, 0) << forged.err;
  const std::string commit =
      repo.git({"commit-tree", forged.out.substr(0, 40), "-p", "HEAD", "-m", "forged"}).substr(0, 40);
  repo.git({"update-ref", "refs/heads/main", commit});
  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 3) << scan.process.err;
  EXPECT_NE(scan.process.err.find(tree), std::string::npos) << scan.process.err;
  EXPECT_NE(scan.process.err.find("fake.txt"), std::string::npos) << scan.process.err;
}

TEST(GitAuditDamageCli, ShallowCloneIsIncompleteAndSaysHowToFix) {
  GitRepo origin;
  origin.commit_file("a.txt", "1\n", "one");
  origin.commit_file("a.txt", "2\n", "two");
  TempDir dir;
  origin.git({"clone", "-q", "--depth", "1", "file://" + origin.path().string(), (dir.path() / "s").string()});
  const GitScan scan = git_scan({"git", (dir.path() / "s").string()});
  EXPECT_EQ(scan.process.exit_code, 3);
  EXPECT_NE(scan.process.err.find("fetch-depth: 0"), std::string::npos) << scan.process.err;
}

TEST(GitAuditDamageCli, PartialCloneScansWhatItHasAndNamesWhatItLacks) {
  GitRepo origin;
  origin.git({"config", "uploadpack.allowFilter", "true"});
  origin.commit_file("gone.env", user_token_line("never-fetched"), "old secret");
  origin.remove("gone.env");
  origin.commit("remove it");
  origin.commit_file("here.env", user_token_line("checked-out"), "current secret");
  TempDir dir;
  origin.git({"clone", "-q", "--filter=blob:none", "file://" + origin.path().string(), (dir.path() / "p").string()});
  const GitScan scan = git_scan({"git", (dir.path() / "p").string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(findings_of(scan.findings, user_token("checked-out")).size(), 1u);
  EXPECT_NE(scan.process.err.find(origin.blob_id(user_token_line("never-fetched"))), std::string::npos)
      << scan.process.err;
  EXPECT_NE(scan.process.err.find("partial clone"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
