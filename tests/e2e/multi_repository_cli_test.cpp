// Many repositories in one `sentryscan git` run, shards (`--shard I/N`),
// their manifests and `sentryscan merge`, through the real binary on real
// repositories.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "core/secret_hash.h"
#include "support/git_cli.h"
#include "support/jsonl.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

using json = nlohmann::json;

CliResult run_in(const std::filesystem::path& cwd, std::vector<std::string> args) {
  CliOptions options;
  options.cwd = cwd;
  options.env = git_test_env();
  return run_sentryscan(args, options);
}

std::vector<json> jsonl(const std::filesystem::path& path) { return parse_jsonl(read_file(path)); }

std::multiset<std::string> as_set(const std::vector<json>& findings) { return findings_multiset(findings); }

// Repositories repo-0 … repo-(count-1) under one directory, each with one
// secret (repo-1 with two), listed in repos.txt by relative path.
struct Organisation {
  TempDir dir;
  std::vector<std::unique_ptr<GitRepo>> repos;
  std::filesystem::path list;

  explicit Organisation(int count, const std::vector<std::string>& extra_lines = {}) {
    std::string text = "# organisation audit\n\n";
    for (int i = 0; i < count; ++i) {
      auto repo = std::make_unique<GitRepo>();
      repo->commit_file("README.md", "repository " + std::to_string(i) + "\n", "init");
      repo->commit_file("config/app.env", user_token_line("org-" + std::to_string(i)), "add config");
      if (i == 1) repo->commit_file("more.env", user_token_line("org-extra"), "another");
      const auto target = dir.path() / ("repo-" + std::to_string(i));
      std::filesystem::create_directory_symlink(repo->path(), target);
      text += "repo-" + std::to_string(i) + "\n";
      repos.push_back(std::move(repo));
    }
    for (const auto& line : extra_lines) text += line + "\n";
    list = dir.write("repos.txt", text);
  }
};

TEST(MultiRepositoryCli, FindingsNameTheirRepositoryInEveryFormat) {
  Organisation org(2);
  const auto scan = git_scan({"git", "repo-0", "repo-1"}, org.dir.path());
  ASSERT_EQ(scan.process.exit_code, 1) << scan.process.err;
  ASSERT_EQ(scan.findings.size(), 3u) << scan.process.out;
  std::map<std::string, int> by_repository;
  for (const auto& f : scan.findings) ++by_repository[f.value("repository", "")];
  EXPECT_EQ(by_repository, (std::map<std::string, int>{{"repo-0", 1}, {"repo-1", 2}}));
  EXPECT_EQ(findings_of(scan.findings, user_token("org-extra")).at(0)["repository"], "repo-1");

  const auto text = run_in(org.dir.path(), {"git", "repo-0", "repo-1", "--no-color"});
  EXPECT_NE(text.out.find("repository: repo-1"), std::string::npos) << text.out;
  const auto sarif = run_in(org.dir.path(), {"git", "repo-0", "repo-1", "--format", "sarif"});
  const json results = json::parse(sarif.out)["runs"][0]["results"];
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) EXPECT_TRUE(r["properties"].contains("repository")) << r.dump();
  const auto gitlab = run_in(org.dir.path(), {"git", "repo-0", "repo-1", "--format", "gitlab"});
  const json gitlab_report = json::parse(gitlab.out);  // the loop must not range over a temporary's member
  for (const auto& v : gitlab_report["vulnerabilities"]) EXPECT_TRUE(v["details"].contains("repository")) << v.dump();
  const auto github = run_in(org.dir.path(), {"git", "repo-0", "repo-1", "--format", "github"});
  EXPECT_NE(github.out.find("repository: repo-0"), std::string::npos) << github.out;
}

TEST(MultiRepositoryCli, SingleRepositoryReportsHaveNoRepositoryField) {
  Organisation org(1);
  const auto scan = git_scan({"git", "repo-0"}, org.dir.path());
  ASSERT_EQ(scan.findings.size(), 1u);
  EXPECT_FALSE(scan.findings[0].contains("repository"));
}

TEST(MultiRepositoryCli, UnreadableRepositoryAmongGoodOnesIsIncomplete) {
  Organisation org(2, {"no-such-repository", "# a comment", "not-a-repo"});
  std::filesystem::create_directory(org.dir.path() / "not-a-repo");
  const auto scan = git_scan({"git", "--repos", org.list.string(), "--fail-on", "critical"});
  EXPECT_EQ(scan.process.exit_code, 3) << scan.process.err;
  EXPECT_EQ(scan.findings.size(), 3u) << scan.process.out;  // the good repositories' findings
  EXPECT_NE(scan.process.err.find("incomplete: no-such-repository: cannot open the repository"), std::string::npos)
      << scan.process.err;
  EXPECT_NE(scan.process.err.find("incomplete: not-a-repo: cannot open the repository"), std::string::npos)
      << scan.process.err;
  // Findings at or above --fail-on still win over an incomplete run.
  EXPECT_EQ(git_scan({"git", "--repos", org.list.string()}).process.exit_code, 1);
}

TEST(MultiRepositoryCli, OptionsAboutOneRepositoryAreRefused) {
  Organisation org(2);
  const auto cwd = org.dir.path();
  const auto out = (cwd / "r.jsonl").string();
  EXPECT_EQ(run_in(cwd, {"git", "repo-0", "repo-1", "--range", "HEAD~1..HEAD"}).exit_code, 2);
  EXPECT_EQ(run_in(cwd, {"git", "--repos", "repos.txt", "--since", "HEAD~1"}).exit_code, 2);
  EXPECT_EQ(run_in(cwd, {"git", "repo-0", "repo-1", "--config-from", "head"}).exit_code, 2);
  for (const char* bad : {"2/2", "1/0", "x", "-1/2", "1"}) {
    const auto r = run_in(cwd, {"git", "--repos", "repos.txt", "--shard", bad, "--format", "jsonl", "-o", out});
    EXPECT_EQ(r.exit_code, 2) << bad << r.err;
  }
  // A shard must be mergeable: jsonl (or json) to a file, for the manifest next to it.
  EXPECT_EQ(run_in(cwd, {"git", "--repos", "repos.txt", "--shard", "0/2", "--format", "jsonl"}).exit_code, 2);
  EXPECT_EQ(run_in(cwd, {"git", "--repos", "repos.txt", "--shard", "0/2", "-o", out}).exit_code, 2);
  EXPECT_EQ(run_in(cwd, {"git", "--repos", "missing.txt"}).exit_code, 2);
}

TEST(MultiRepositoryCli, ShardsCoverTheListOnceAndManifestsSaySo) {
  Organisation org(7, {"missing-repo"});
  for (std::uint32_t n : {1u, 2u, 3u, 5u}) {
    std::map<std::string, int> seen;
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto report = org.dir.path() / ("n" + std::to_string(n) + "-" + std::to_string(i) + ".jsonl");
      const auto r = run_in(org.dir.path(), {"git", "--repos", "repos.txt", "--shard", std::to_string(i) + "/" + std::to_string(n),
                                             "--format", "jsonl", "-o", report.string()});
      const json m = json::parse(read_file(report.string() + ".manifest.json"));
      EXPECT_EQ(m["manifest_version"], 1);
      EXPECT_EQ(m["shard"]["index"], i);
      EXPECT_EQ(m["shard"]["count"], n);
      EXPECT_EQ(m["list"]["entries"], 8);
      EXPECT_EQ(m["report"]["file"], report.filename().string());
      EXPECT_EQ(m["report"]["sha256"], sha256_hex(read_file(report)));
      EXPECT_EQ(m["exit_status"], r.exit_code);
      bool complete = true;
      for (const auto& repo : m["repositories"]) {
        ++seen[repo["name"].get<std::string>()];
        EXPECT_EQ(repo["complete"], repo["name"] != "missing-repo") << repo.dump();
        complete = complete && repo["complete"].get<bool>();
      }
      EXPECT_EQ(m["complete"], complete);
      // The report stays one finding per line, each naming a repository of this shard.
      for (const auto& f : jsonl(report)) {
        EXPECT_TRUE(f.contains("rule_id"));
        bool listed = false;
        for (const auto& repo : m["repositories"]) listed = listed || repo["name"] == f["repository"];
        EXPECT_TRUE(listed) << f.dump();
      }
    }
    EXPECT_EQ(seen.size(), 8u) << n;
    for (const auto& [name, times] : seen) EXPECT_EQ(times, 1) << name << " in " << n << " shards";
  }
}

// Shards 0..n-1 of repos.txt, written as shard-I.jsonl in `dir`.
void run_shards(const Organisation& org, std::uint32_t n, const std::vector<std::string>& extra = {}) {
  for (std::uint32_t i = 0; i < n; ++i) {
    std::vector<std::string> args{"git", "--repos", "repos.txt", "--shard", std::to_string(i) + "/" + std::to_string(n),
                                  "--format", "jsonl", "-o", "shard-" + std::to_string(i) + ".jsonl"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_in(org.dir.path(), args);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1 || r.exit_code == 3) << r.err;
  }
}

TEST(MultiRepositoryCli, MergeEqualsOneRunAndRejudgesFailOn) {
  Organisation org(6);
  const auto cwd = org.dir.path();
  run_shards(org, 3);
  const auto single = run_in(cwd, {"git", "--repos", "repos.txt", "--format", "jsonl", "-o", "single.jsonl"});
  EXPECT_EQ(single.exit_code, 1);
  const auto merged = run_in(cwd, {"merge", "shard-0.jsonl", "shard-1.jsonl", "shard-2.jsonl", "--format", "jsonl",
                                   "-o", "merged.jsonl"});
  EXPECT_EQ(merged.exit_code, 1) << merged.err;
  EXPECT_EQ(as_set(jsonl(cwd / "merged.jsonl")), as_set(jsonl(cwd / "single.jsonl")));
  EXPECT_EQ(jsonl(cwd / "merged.jsonl").size(), 7u);
  // Re-judged with the merge's --fail-on: user tokens are high, not critical.
  EXPECT_EQ(run_in(cwd, {"merge", "shard-0.jsonl", "shard-1.jsonl", "shard-2.jsonl", "--fail-on", "critical"}).exit_code,
            0);
  // A merged report still works as a baseline.
  const auto again = run_in(cwd, {"git", "--repos", "repos.txt", "--baseline", "merged.jsonl", "--format", "json"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

TEST(MultiRepositoryCli, MergeOfMissingDuplicateOrIncompleteShardsIsIncomplete) {
  Organisation org(6, {"gone"});
  const auto cwd = org.dir.path();
  run_shards(org, 3);
  auto merge = [&](std::vector<std::string> reports) {
    std::vector<std::string> args{"merge", "--fail-on", "critical"};
    args.insert(args.end(), reports.begin(), reports.end());
    return run_in(cwd, args);
  };
  // "gone" cannot be opened: the shard holding it is incomplete, and so is the merge.
  const auto whole = merge({"shard-0.jsonl", "shard-1.jsonl", "shard-2.jsonl"});
  EXPECT_EQ(whole.exit_code, 3) << whole.err;
  EXPECT_NE(whole.err.find("gone: cannot open the repository"), std::string::npos) << whole.err;

  // Without it, every shard is complete.
  org.dir.write("repos.txt", read_file(org.list).substr(0, read_file(org.list).find("gone")));
  run_shards(org, 3);
  EXPECT_EQ(merge({"shard-0.jsonl", "shard-1.jsonl", "shard-2.jsonl"}).exit_code, 0);
  const auto missing = merge({"shard-0.jsonl", "shard-2.jsonl"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("shard 1/3 is missing"), std::string::npos) << missing.err;
  const auto twice = merge({"shard-0.jsonl", "shard-1.jsonl", "shard-2.jsonl", "shard-1.jsonl"});
  EXPECT_EQ(twice.exit_code, 3);
  EXPECT_NE(twice.err.find("given twice"), std::string::npos) << twice.err;
  // A shard made with other settings, or whose report changed after its manifest.
  std::filesystem::copy_file(cwd / "shard-1.jsonl", cwd / "keep.jsonl");
  std::filesystem::copy_file(cwd / "shard-1.jsonl.manifest.json", cwd / "keep.jsonl.manifest.json");
  run_in(cwd, {"git", "--repos", "repos.txt", "--shard", "1/3", "--format", "jsonl", "-o", "shard-1.jsonl", "--exclude",
               "*.md"});
  const auto other = merge({"shard-0.jsonl", "shard-1.jsonl", "shard-2.jsonl"});
  EXPECT_EQ(other.exit_code, 3);
  EXPECT_NE(other.err.find("other settings"), std::string::npos) << other.err;
  org.dir.write("keep.jsonl", read_file(cwd / "keep.jsonl") + read_file(cwd / "keep.jsonl"));
  const auto changed = merge({"shard-0.jsonl", "keep.jsonl", "shard-2.jsonl"});
  EXPECT_EQ(changed.exit_code, 3);
  EXPECT_NE(changed.err.find("not the one its manifest describes"), std::string::npos) << changed.err;
  const auto no_manifest = merge({"shard-0.jsonl", "shard-2.jsonl", "single-missing.jsonl"});
  EXPECT_EQ(no_manifest.exit_code, 3);
}

}  // namespace
}  // namespace sentryscan::testing
