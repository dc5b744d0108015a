// Remote entries of a multi-repository audit (`sentryscan git --repos FILE`):
// cloned through the remote layer like one URL, into --cache-dir or a
// temporary directory, with the same redirect and credential rules; a
// failing clone makes the run incomplete without stopping the others.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/fake_tokens.h"
#include "support/git_cli.h"
#include "support/git_http_server.h"

namespace sentryscan::testing {
namespace {

namespace fs = std::filesystem;

std::string planted(GitRepo& work, const std::string& seed) {
  work.commit_file("README.md", "hello\n", "init");
  return work.commit_file("config/prod.env", "A=1\n" + user_token_line(seed), "add prod env");
}

fs::path write_list(const TempDir& dir, const std::vector<std::string>& lines) {
  const fs::path list = dir.path() / "repos.txt";
  std::ofstream out(list);
  out << "# remote and local entries\n";
  for (const auto& line : lines) out << line << "\n";
  return list;
}

TEST(MultiRemoteCli, HttpAndFileEntriesAreClonedAndNamed) {
  GitHttpServer server;
  GitRepo http_work, file_work, local;
  planted(http_work, "multi-http");
  planted(file_work, "multi-file");
  planted(local, "multi-local");
  const std::string http_url = server.publish(http_work, "org/api");
  TempDir served, lists, cache;
  const fs::path bare = served.path() / "web.git";
  ASSERT_EQ(run_program({"git", "clone", "-q", "--bare", file_work.path().string(), bare.string()}).exit_code, 0);
  const std::string file_url = "file://" + bare.string();
  const fs::path list = write_list(lists, {http_url, file_url, local.path().string()});

  const GitScan scan = git_scan({"git", "--repos", list.string(), "--cache-dir", cache.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto http_found = findings_of(scan.findings, user_token("multi-http"));
  const auto file_found = findings_of(scan.findings, user_token("multi-file"));
  const auto local_found = findings_of(scan.findings, user_token("multi-local"));
  ASSERT_EQ(http_found.size(), 1u) << scan.process.out << scan.process.err;
  ASSERT_EQ(file_found.size(), 1u) << scan.process.err;
  ASSERT_EQ(local_found.size(), 1u) << scan.process.err;
  EXPECT_EQ(http_found[0]["repository"], http_url);
  EXPECT_EQ(file_found[0]["repository"], file_url);
  EXPECT_EQ(http_found[0]["location"]["path"], "config/prod.env");
  // Both remote entries were cloned into the cache, one folder each.
  std::size_t folders = 0;
  for (const auto& entry : fs::directory_iterator(cache.path())) folders += entry.is_directory();
  EXPECT_EQ(folders, 2u);
  EXPECT_FALSE(server.requests().empty());
}

TEST(MultiRemoteCli, ARedirectedEntryIsIncompleteAndTheOthersAreStillAudited) {
  GitHttpServer good, redirecting;
  GitHttpServer other("127.0.0.2");  // another host
  GitRepo work, elsewhere;
  planted(work, "multi-good");
  planted(elsewhere, "multi-elsewhere");
  const std::string good_url = good.publish(work, "org/good");
  other.publish(elsewhere, "org/moved");
  // A redirect to another host is never followed: the credentials the list
  // names for the first server must not reach it.
  redirecting.redirect_to(other.url());
  TempDir lists;
  const std::string moved_url = redirecting.url() + "/org/moved.git";
  const fs::path list = write_list(lists, {good_url, "http://user:s3cr3t-pass@" + moved_url.substr(7)});

  const GitScan scan = git_scan({"git", "--repos", list.string()});
  // Findings at --fail-on decide the status before incompleteness does.
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(findings_of(scan.findings, user_token("multi-good")).size(), 1u) << scan.process.err;
  EXPECT_EQ((scan.process.out + scan.process.err).find("s3cr3t-pass"), std::string::npos);
  for (const auto& request : other.requests())
    for (const auto& [name, value] : request.headers) EXPECT_NE(name, "Authorization");
  EXPECT_EQ(findings_of(scan.findings, user_token("multi-elsewhere")).size(), 0u);
  EXPECT_TRUE(other.requests().empty());
  EXPECT_NE(scan.process.err.find("incomplete"), std::string::npos) << scan.process.err;
}

}  // namespace
}  // namespace sentryscan::testing
