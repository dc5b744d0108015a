// `sentryscan git --state FILE` with many repositories (`A B…`, `--repos`,
// `--shard`) and with remote URLs: one state file, one record per
// repository, each resuming on its own. Real repositories, the real binary;
// counts come from the SARIF report's invocation properties.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>

#include "support/fake_tokens.h"
#include "support/git_cli.h"
#include "support/git_http_server.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

using json = nlohmann::json;

struct MultiScan {
  CliResult process;
  std::uint64_t blobs = 0;
  std::string note;
  std::vector<json> findings;  // each result's properties
};

MultiScan multi_scan(const std::filesystem::path& cwd, std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "sarif", "--no-color"});
  CliOptions options;
  options.cwd = cwd;
  options.env = git_test_env();
  MultiScan scan;
  scan.process = run_sentryscan(args, options);
  const auto sarif = json::parse(scan.process.out, nullptr, false);
  if (sarif.is_discarded() || !sarif.contains("runs")) return scan;
  const auto& run = sarif["runs"][0];
  const auto& properties = run["invocations"][0]["properties"];
  scan.blobs = properties.value("items_scanned", std::uint64_t{0});
  scan.note = properties.value("note", std::string());
  for (const auto& result : run["results"]) scan.findings.push_back(result["properties"]);
  return scan;
}

json state_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

// repo-0 … repo-(count-1) under one directory (symlinks to real repositories),
// each with two commits: a README and config/app.env holding `token_of(i)`.
struct Organisation {
  TempDir dir;
  std::vector<std::unique_ptr<GitRepo>> repos;
  std::vector<std::string> names;

  Organisation(int count, const std::function<std::string(int)>& token_of) {
    for (int i = 0; i < count; ++i) {
      auto repo = std::make_unique<GitRepo>();
      repo->commit_file("README.md", "repository " + std::to_string(i) + "\n", "init");
      repo->commit_file("config/app.env", "A=1\n" + token_of(i), "add config");
      names.push_back("repo-" + std::to_string(i));
      std::filesystem::create_directory_symlink(repo->path(), dir.path() / names.back());
      repos.push_back(std::move(repo));
    }
  }
  std::vector<std::string> args(const std::string& state, std::vector<std::string> extra = {}) const {
    std::vector<std::string> out{"git"};
    out.insert(out.end(), names.begin(), names.end());
    out.insert(out.end(), {"--state", state});
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }
};

std::string own_token(int i) { return user_token_line("multi-state-" + std::to_string(i)); }

TEST(GitStateMultiCli, EachRepositoryResumesOnItsOwn) {
  Organisation org(3, own_token);
  const auto first = multi_scan(org.dir.path(), org.args("state.json"));
  ASSERT_EQ(first.process.exit_code, 1) << first.process.err;
  EXPECT_EQ(first.blobs, 6u);  // two blobs in each of three repositories
  EXPECT_EQ(first.findings.size(), 3u);
  EXPECT_EQ(state_json(org.dir.path() / "state.json")["repositories"].size(), 3u);

  const auto second = multi_scan(org.dir.path(), org.args("state.json"));
  EXPECT_EQ(second.process.exit_code, 0) << second.process.err;
  EXPECT_EQ(second.blobs, 0u);
  EXPECT_NE(second.note.find("3 of 3 repositories resumed"), std::string::npos) << second.note;
  EXPECT_NE(second.process.err.find("repo-1: incremental audit"), std::string::npos) << second.process.err;

  // One new commit in one repository: only its blob.
  org.repos[1]->commit_file("notes.txt", "nothing secret\n", "notes");
  const auto third = multi_scan(org.dir.path(), org.args("state.json"));
  EXPECT_EQ(third.process.exit_code, 0) << third.process.err;
  EXPECT_EQ(third.blobs, 1u);
  EXPECT_NE(third.note.find("1 new commit"), std::string::npos) << third.note;
}

TEST(GitStateMultiCli, NewOnlyCountsTheSameSecretInTwoRepositoriesTwice) {
  // repo-0 and repo-1 hold the same token; repo-2 its own.
  Organisation org(3, [](int i) { return own_token(i == 2 ? 2 : 0); });
  // An earlier audit of repo-0 alone saw the shared token there only.
  const auto alone = multi_scan(org.dir.path(), {"git", "repo-0", "--state", "state.json"});
  ASSERT_EQ(alone.process.exit_code, 1) << alone.process.err;

  // The same token in repo-1 is a secret of its own, new there.
  const auto all = multi_scan(org.dir.path(), org.args("state.json", {"--new-only"}));
  ASSERT_EQ(all.process.exit_code, 1) << all.process.err;
  std::set<std::string> where;
  for (const auto& f : all.findings) where.insert(f.value("repository", ""));
  EXPECT_EQ(where, (std::set<std::string>{"repo-1", "repo-2"}));

  // Every secret now recorded where it is: nothing new, even after a full rescan.
  const auto again = multi_scan(org.dir.path(), org.args("state.json", {"--new-only", "--max-file-size", "1MiB"}));
  EXPECT_EQ(again.process.exit_code, 0) << again.process.err;
  EXPECT_EQ(again.findings.size(), 0u);
  EXPECT_EQ(again.blobs, 6u);  // the settings changed: all three audited whole

  // A new secret in repo-2 only.
  org.repos[2]->commit_file("later.env", user_token_line("multi-state-later"), "later");
  const auto later = multi_scan(org.dir.path(), org.args("state.json", {"--new-only", "--max-file-size", "1MiB"}));
  EXPECT_EQ(later.process.exit_code, 1) << later.process.err;
  ASSERT_EQ(later.findings.size(), 1u);
  EXPECT_EQ(later.findings[0].value("repository", ""), "repo-2");
  EXPECT_EQ(later.blobs, 1u);
}

TEST(GitStateMultiCli, AFailingRepositoryKeepsItsRecordWhileTheOthersAdvance) {
  Organisation org(3, own_token);
  ASSERT_EQ(multi_scan(org.dir.path(), org.args("state.json")).process.exit_code, 1);
  const json before = state_json(org.dir.path() / "state.json")["repositories"];

  // repo-1 goes missing; repo-0 and repo-1 get new commits.
  const auto aside = org.dir.path() / "aside";
  std::filesystem::rename(org.dir.path() / "repo-1", aside);
  org.repos[0]->commit_file("notes.txt", "zero\n", "notes");
  org.repos[1]->commit_file("notes.txt", "one\n", "notes");
  const auto broken = multi_scan(org.dir.path(), org.args("state.json"));
  EXPECT_EQ(broken.process.exit_code, 3) << broken.process.err;
  EXPECT_EQ(broken.blobs, 1u);  // repo-0's new blob
  EXPECT_NE(broken.process.err.find("1 of 3 repositories not updated"), std::string::npos) << broken.process.err;
  const json after = state_json(org.dir.path() / "state.json")["repositories"];
  ASSERT_EQ(after.size(), 3u);
  auto key_of = [&](int i) {
    const std::string root = std::filesystem::canonical(org.repos[i]->path()).string();
    for (const auto& [key, record] : before.items())
      if (key.starts_with(root)) return key;
    return std::string("(none)");
  };
  EXPECT_EQ(after[key_of(1)], before[key_of(1)]);                    // kept as it was
  EXPECT_NE(after[key_of(0)]["tips"], before[key_of(0)]["tips"]);    // advanced
  EXPECT_EQ(after[key_of(2)]["tips"], before[key_of(2)]["tips"]);    // nothing new there

  // repo-1 back: it resumes from its old record and scans its one new blob.
  std::filesystem::rename(aside, org.dir.path() / "repo-1");
  const auto back = multi_scan(org.dir.path(), org.args("state.json"));
  EXPECT_EQ(back.process.exit_code, 0) << back.process.err;
  EXPECT_EQ(back.blobs, 1u);
  EXPECT_NE(back.note.find("3 of 3 repositories resumed"), std::string::npos) << back.note;
}

TEST(GitStateMultiCli, RemoteEntriesResumeUnderTheirUrl) {
  Organisation org(2, own_token);
  const std::string url = "file://" + std::filesystem::canonical(org.repos[1]->path()).string();
  org.dir.write("repos.txt", "repo-0\n" + url + "\n");
  const std::vector<std::string> args{"git", "--repos", "repos.txt", "--state", "state.json"};
  const auto first = multi_scan(org.dir.path(), args);
  ASSERT_EQ(first.process.exit_code, 1) << first.process.err;
  EXPECT_EQ(first.blobs, 4u);
  EXPECT_TRUE(state_json(org.dir.path() / "state.json")["repositories"].contains(url));

  const auto second = multi_scan(org.dir.path(), args);
  EXPECT_EQ(second.process.exit_code, 0) << second.process.err;
  EXPECT_EQ(second.blobs, 0u);

  // The URL alone shares the record the list made.
  org.repos[1]->commit_file("notes.txt", "one\n", "notes");
  const auto single = multi_scan(org.dir.path(), {"git", url, "--state", "state.json"});
  EXPECT_EQ(single.process.exit_code, 0) << single.process.err;
  EXPECT_EQ(single.blobs, 1u);
  EXPECT_NE(single.note.find("INCREMENTAL"), std::string::npos) << single.note;
}

TEST(GitStateMultiCli, SmartHttpEntriesResumeAndTheStateHoldsNoCredentials) {
  Organisation org(2, own_token);
  GitHttpServer server;
  const std::string plain = server.publish(*org.repos[1], "org/one");
  const std::string password = "pw-" + fake_user_token("state-url-password").substr(10, 20);
  server.require_basic_auth("auditor", password);
  const std::string url = "http://auditor:" + password + "@" + plain.substr(std::string("http://").size());
  org.dir.write("repos.txt", "repo-0\n" + url + "\n");
  const std::vector<std::string> args{"git", "--repos", "repos.txt", "--state", "state.json"};
  const auto first = multi_scan(org.dir.path(), args);
  ASSERT_EQ(first.process.exit_code, 1) << first.process.err;
  EXPECT_EQ(first.blobs, 4u);
  const std::string state_text = state_json(org.dir.path() / "state.json").dump();
  EXPECT_EQ(state_text.find(password), std::string::npos);
  EXPECT_EQ(state_text.find("auditor"), std::string::npos);
  EXPECT_TRUE(state_json(org.dir.path() / "state.json")["repositories"].contains(plain.substr(0, plain.size() - 4)))
      << state_text;  // the normalised URL: no credentials, no ".git"

  org.repos[1]->commit_file("notes.txt", "one\n", "notes");
  server.publish(*org.repos[1], "org/one");
  const auto second = multi_scan(org.dir.path(), args);
  EXPECT_EQ(second.process.exit_code, 0) << second.process.err;
  EXPECT_EQ(second.blobs, 1u);
  EXPECT_NE(second.note.find("2 of 2 repositories resumed"), std::string::npos) << second.note;
}

TEST(GitStateMultiCli, ShardWithStateStillWritesAMergeableManifest) {
  Organisation org(3, own_token);
  const auto args = org.args("state-0.json", {"--shard", "0/1", "--output", "shard-0.jsonl"});
  CliOptions options;
  options.cwd = org.dir.path();
  options.env = git_test_env();
  auto with_format = [&](std::vector<std::string> a) {
    a.insert(a.end(), {"--format", "jsonl"});
    return run_sentryscan(a, options);
  };
  ASSERT_EQ(with_format(args).exit_code, 1);
  const auto again = with_format(args);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  const json manifest = state_json(org.dir.path() / "shard-0.jsonl.manifest.json");
  EXPECT_TRUE(manifest.value("complete", false));
  const auto merged = run_sentryscan({"merge", "shard-0.jsonl", "--format", "json"}, options);
  EXPECT_EQ(merged.exit_code, 0) << merged.err;
}

}  // namespace
}  // namespace sentryscan::testing
