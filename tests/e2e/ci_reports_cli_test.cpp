// The CI reports as a pipeline consumes them: `--format gitlab` from a real
// range, SARIF fingerprints that keep the same secret in two files apart, no
// author e-mail unless asked for, and the README's GitLab job.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "core/secret_hash.h"
#include "support/fake_tokens.h"
#include "support/git_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

using nlohmann::json;

CliResult run_git_cli(const std::vector<std::string>& args) {
  CliOptions options;
  options.env = git_test_env();
  return run_sentryscan(args, options);
}

TEST(CiReports, GitlabReportOfARangeNamesTheCommit) {
  GitRepo repo;
  repo.commit_file("README.md", "hello\n", "init");
  const std::string base = repo.rev("HEAD");
  const std::string added = repo.commit_file("deploy/ci.env", "A=1\n" + user_token_line("gitlab"), "add ci env");
  const auto result = run_git_cli({"git", repo.path().string(), "--range", base + "..HEAD", "--format", "gitlab"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json report = json::parse(result.out);
  EXPECT_EQ(report["scan"]["type"], "secret_detection");
  EXPECT_EQ(report["scan"]["status"], "success");
  ASSERT_EQ(report["vulnerabilities"].size(), 1u) << result.out;
  const json& v = report["vulnerabilities"][0];
  EXPECT_EQ(v["severity"], "High");
  EXPECT_EQ(v["identifiers"][0]["value"], "sentry-user-token");
  EXPECT_EQ(v["location"]["file"], "deploy/ci.env");
  EXPECT_EQ(v["location"]["start_line"], 2);
  EXPECT_EQ(v["location"]["commit"]["sha"], added);
  EXPECT_EQ(v["location"]["commit"]["author"], "Test Author");
  EXPECT_EQ(result.out.find(user_token("gitlab")), std::string::npos) << "secret in the report";
  EXPECT_EQ(result.out.find("author@example.com"), std::string::npos) << "author e-mail without asking";
}

TEST(CiReports, GitlabReportOfFilesIsWrittenWithOutput) {
  TempDir dir;
  dir.write("src/settings.py", "SENTRY_AUTH_TOKEN = '" + fake_user_token("gitlab-file") + "'\n");
  const auto out = dir.path() / "gl-secret-detection-report.json";
  const auto result = run_sentryscan({"scan", "--format", "gitlab", "-o", out.string(), (dir.path() / "src").string()});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json report = json::parse(read_file(out));
  ASSERT_EQ(report["vulnerabilities"].size(), 1u);
  EXPECT_EQ(report["vulnerabilities"][0]["location"]["commit"]["sha"], "0000000");
}

TEST(CiReports, SarifTellsTheSameSecretInTwoFilesApart) {
  TempDir dir;
  const std::string token = fake_user_token("twice");
  dir.write("a/app.env", "SENTRY_AUTH_TOKEN=" + token + "\n");
  dir.write("b/app.env", "SENTRY_AUTH_TOKEN=" + token + "\n");
  const auto result = run_sentryscan({"scan", "--format", "sarif", dir.path().string()});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json results = json::parse(result.out)["runs"][0]["results"];
  ASSERT_EQ(results.size(), 2u);
  const json& first = results[0]["partialFingerprints"];
  const json& second = results[1]["partialFingerprints"];
  ASSERT_TRUE(first.contains("sentryscan/v2")) << first;
  EXPECT_NE(first, second) << "GitHub would merge the two alerts into one";
  EXPECT_EQ(results[0]["properties"]["fingerprint"], fingerprint("sentry-user-token", token));
}

TEST(CiReports, SarifHasNoAuthorEmailUnlessAsked) {
  GitRepo repo;
  repo.commit_file("app.env", user_token_line("email"), "add env");
  const auto plain = run_git_cli({"git", repo.path().string(), "--format", "sarif"});
  EXPECT_EQ(plain.exit_code, 1) << plain.err;
  EXPECT_NE(plain.out.find("Test Author"), std::string::npos);
  EXPECT_EQ(plain.out.find("author@example.com"), std::string::npos);
  const auto asked = run_git_cli({"git", repo.path().string(), "--format", "sarif", "--include-author-email"});
  EXPECT_NE(asked.out.find("author@example.com"), std::string::npos) << asked.err;
  // json keeps the SPEC schema's email field.
  const auto json_report = run_git_cli({"git", repo.path().string(), "--format", "json"});
  EXPECT_NE(json_report.out.find("author@example.com"), std::string::npos);
}

// The README's GitLab job, read as YAML by indentation (the snippet uses only
// block mappings, block sequences and a literal script): key paths to values.
std::vector<std::pair<std::string, std::string>> yaml_paths(const std::string& block) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::pair<std::size_t, std::string>> stack;  // indent, key
  std::istringstream lines(block);
  std::string line;
  std::size_t literal_indent = std::string::npos;
  while (std::getline(lines, line)) {
    const auto first = line.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    if (literal_indent != std::string::npos && first > literal_indent) continue;  // inside `- |`
    literal_indent = std::string::npos;
    std::string text = line.substr(first);
    if (const auto comment = text.find("  #"); comment != std::string::npos) text.resize(comment);
    while (text.ends_with(' ')) text.pop_back();
    std::size_t indent = first;
    if (text.starts_with("- ")) {
      text = text.substr(2);
      indent += 2;
      if (text == "|") {
        literal_indent = first;
        continue;
      }
    }
    while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
    const auto colon = text.find(": ");
    const bool key_only = text.ends_with(":");
    std::string path;
    for (const auto& [unused, key] : stack) path += key + ".";
    if (key_only) {
      stack.emplace_back(indent, text.substr(0, text.size() - 1));
    } else if (colon != std::string::npos && !text.starts_with("if: ") && !text.starts_with("\"")) {
      out.emplace_back(path + text.substr(0, colon), text.substr(colon + 2));
    } else {
      out.emplace_back(path + "-", text);
    }
    if (!key_only && text.starts_with("if: ")) out.emplace_back(path + "if", text.substr(4));
  }
  return out;
}

std::string readme_gitlab_job() {
  std::ifstream in(std::string(SENTRYSCAN_SOURCE_DIR) + "/README.md");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string readme = buffer.str();
  const auto section = readme.find("### GitLab CI\n");
  const auto start = readme.find("```yaml\n", section);
  const auto end = readme.find("```\n", start + 8);
  if (section == std::string::npos || start == std::string::npos || end == std::string::npos) return "";
  return readme.substr(start + 8, end - start - 8);
}

std::string value_of(const std::vector<std::pair<std::string, std::string>>& paths, const std::string& key) {
  for (const auto& [path, value] : paths)
    if (path == key) return value;
  return "";
}

TEST(CiReports, ReadmeGitlabJobUploadsTheReportFromAPinnedImageOncePerPipeline) {
  const std::string job = readme_gitlab_job();
  ASSERT_FALSE(job.empty()) << "no ```yaml block under ### GitLab CI";
  const auto paths = yaml_paths(job);
  EXPECT_EQ(value_of(paths, "sentryscan.artifacts.reports.secret_detection"), "gl-secret-detection-report.json");
  EXPECT_EQ(value_of(paths, "sentryscan.artifacts.when"), "always");
  const std::string image = value_of(paths, "sentryscan.image.name");
  EXPECT_TRUE(std::regex_match(image, std::regex(R"(\S+/sentryscan:\d+\.\d+\.\d+)"))) << "image not pinned: " << image;
  EXPECT_EQ(value_of(paths, "sentryscan.image.entrypoint"), "[\"\"]");
  EXPECT_NE(job.find("--format gitlab --output gl-secret-detection-report.json"), std::string::npos);
  // Rules in order: merge request pipelines run it; a branch pipeline skips it
  // while the branch has an open merge request; other branch pipelines run it.
  std::vector<std::string> rules;
  for (const auto& [path, value] : paths)
    if (path == "sentryscan.rules.if" || path == "sentryscan.rules.when") rules.push_back(value);
  const std::vector<std::string> expected{"$CI_PIPELINE_SOURCE == \"merge_request_event\"",
                                          "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS", "never",
                                          "$CI_COMMIT_BRANCH"};
  EXPECT_EQ(rules, expected);
}

}  // namespace
}  // namespace sentryscan::testing
