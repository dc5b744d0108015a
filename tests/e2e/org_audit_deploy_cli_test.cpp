// deploy/kubernetes/ and examples/github-actions/org-audit.yml: their
// manifests checked field by field (Debian's kubectl predates Indexed Jobs,
// so it cannot validate them) and their commands, taken from the YAML files,
// run locally as N shard processes and a merge, whose report must equal one
// process's run over the whole list.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "support/git_cli.h"
#include "support/jsonl.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

using json = nlohmann::json;

const std::filesystem::path kSource = SENTRYSCAN_SOURCE_DIR;

// Every document of a YAML file, as JSON (python3-yaml, safe_load).
std::vector<json> yaml_documents(const std::filesystem::path& path) {
  const CliResult r = run_program(
      {"python3", "-c", "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))",
       path.string()});
  if (r.exit_code != 0) throw std::runtime_error("cannot read " + path.string() + ": " + r.err);
  return json::parse(r.out).get<std::vector<json>>();
}

json yaml_document(const std::filesystem::path& path) {
  auto documents = yaml_documents(path);
  if (documents.size() != 1) throw std::runtime_error(path.string() + ": expected one document");
  return documents.front();
}

std::map<std::string, std::string> literal_env(const json& container) {
  std::map<std::string, std::string> env;
  for (const auto& var : container.value("env", json::array()))
    if (var.contains("value")) env[var["name"]] = var["value"].get<std::string>();
  return env;
}

std::string binary_dir() { return std::filesystem::path(SENTRYSCAN_BINARY).parent_path().string(); }

std::string path_with_binary() { return binary_dir() + ":" + std::string(std::getenv("PATH")); }

std::vector<json> jsonl(const std::string& text) { return parse_jsonl(text); }

std::multiset<std::string> as_set(const std::vector<json>& findings) { return findings_multiset(findings); }

// The summary line of a text report without its duration.
std::string summary_of(const std::string& text) {
  const auto start = text.rfind("\n", text.size() - 2);
  const std::string line = text.substr(start == std::string::npos ? 0 : start + 1);
  return std::regex_replace(line, std::regex(R"(in \d+\.\d+ s)"), "in T s");
}

// Repositories with secrets (some none, one two), listed in repos.txt.
struct Organisation {
  TempDir dir;
  std::vector<std::unique_ptr<GitRepo>> repos;
  std::filesystem::path list;
  explicit Organisation(int count) {
    std::string text = "# audit\n";
    for (int i = 0; i < count; ++i) {
      auto repo = std::make_unique<GitRepo>();
      repo->commit_file("README.md", "repository " + std::to_string(i) + "\n", "init");
      if (i % 3 != 2) repo->commit_file("app.env", user_token_line("deploy-" + std::to_string(i)), "config");
      if (i == 0) repo->commit_file("b/c.env", user_token_line("deploy-extra"), "more");
      text += repo->path().string() + "\n";
      repos.push_back(std::move(repo));
    }
    list = dir.write("repos.txt", text);
  }

  // One process over the whole list: the reference.
  std::pair<std::vector<json>, std::string> single_run() const {
    CliOptions options;
    options.env = git_test_env();
    const auto findings = run_sentryscan({"git", "--repos", list.string(), "--format", "jsonl"}, options);
    const auto text = run_sentryscan({"git", "--repos", list.string(), "--format", "text", "--no-color"}, options);
    EXPECT_EQ(findings.exit_code, 1) << findings.err;
    EXPECT_EQ(text.exit_code, 1) << text.err;
    return {jsonl(findings.out), summary_of(text.out)};
  }
};

TEST(OrgAuditDeploy, KubernetesManifestsFieldByField) {
  const auto dir = kSource / "deploy/kubernetes";
  const json shards = yaml_document(dir / "shards-job.yaml");
  const json merge = yaml_document(dir / "merge-job.yaml");
  const json repos = yaml_document(dir / "repos-configmap.yaml");
  const json pvc = yaml_document(dir / "reports-pvc.yaml");

  EXPECT_EQ(repos["apiVersion"], "v1");
  EXPECT_EQ(repos["kind"], "ConfigMap");
  EXPECT_TRUE(repos["data"].contains("repos.txt"));
  EXPECT_EQ(pvc["kind"], "PersistentVolumeClaim");
  EXPECT_EQ(pvc["spec"]["accessModes"], json::array({"ReadWriteMany"}));  // shard pods on several nodes

  for (const json* job : {&shards, &merge}) {
    EXPECT_EQ((*job)["apiVersion"], "batch/v1");
    EXPECT_EQ((*job)["kind"], "Job");
    const json& pod = (*job)["spec"]["template"]["spec"];
    EXPECT_EQ(pod["restartPolicy"], "Never");
    EXPECT_EQ(pod["securityContext"]["runAsNonRoot"], true);
    ASSERT_EQ(pod["containers"].size(), 1u);
    const json& container = pod["containers"][0];
    EXPECT_EQ(container["name"], "sentryscan");
    EXPECT_EQ(container["image"], shards["spec"]["template"]["spec"]["containers"][0]["image"]);
    EXPECT_EQ(container["command"], json::array({"/bin/sh", "-c"}));
    ASSERT_EQ(container["args"].size(), 1u);
    // The reports volume is the claim, mounted where REPORTS_DIR says.
    std::map<std::string, std::string> mounts;
    for (const auto& m : container["volumeMounts"]) mounts[m["name"]] = m["mountPath"];
    std::map<std::string, json> volumes;
    for (const auto& v : pod["volumes"]) volumes[v["name"]] = v;
    EXPECT_EQ(volumes.at("reports")["persistentVolumeClaim"]["claimName"], pvc["metadata"]["name"]);
    EXPECT_EQ(literal_env(container).at("REPORTS_DIR"), mounts.at("reports"));
  }

  const json& spec = shards["spec"];
  EXPECT_EQ(spec["completionMode"], "Indexed");
  const json& container = spec["template"]["spec"]["containers"][0];
  const auto env = literal_env(container);
  EXPECT_EQ(env.at("SHARD_COUNT"), std::to_string(spec["completions"].get<int>()));
  EXPECT_LE(spec["parallelism"].get<int>(), spec["completions"].get<int>());
  // Exit 2 (a usage error) fails the Job instead of being retried.
  const json& rule = spec["podFailurePolicy"]["rules"][0];
  EXPECT_EQ(rule["action"], "FailJob");
  EXPECT_EQ(rule["onExitCodes"]["containerName"], "sentryscan");
  EXPECT_EQ(rule["onExitCodes"]["values"], json::array({2}));
  // The list comes from the ConfigMap, mounted where REPOS_FILE points.
  std::map<std::string, json> volumes;
  for (const auto& v : spec["template"]["spec"]["volumes"]) volumes[v["name"]] = v;
  std::string repos_mount;
  for (const auto& m : container["volumeMounts"])
    if (m["name"] == "repos") repos_mount = m["mountPath"];
  EXPECT_EQ(volumes.at("repos")["configMap"]["name"], repos["metadata"]["name"]);
  EXPECT_EQ(env.at("REPOS_FILE"), repos_mount + "/repos.txt");
  // The https token is a Secret reference, never a literal.
  bool token = false;
  for (const auto& var : container["env"])
    if (var["name"] == "SENTRYSCAN_GIT_TOKEN") {
      token = true;
      EXPECT_FALSE(var.contains("value"));
      EXPECT_EQ(var["valueFrom"]["secretKeyRef"]["key"], "token");
    }
  EXPECT_TRUE(token);
  const std::string args = container["args"][0];
  EXPECT_NE(args.find("--shard \"$JOB_COMPLETION_INDEX/$SHARD_COUNT\""), std::string::npos) << args;
}

TEST(OrgAuditDeploy, KubernetesCommandsAsLocalProcessesEqualOneRun) {
  Organisation org(7);
  const auto dir = kSource / "deploy/kubernetes";
  const json shards = yaml_document(dir / "shards-job.yaml");
  const json merge = yaml_document(dir / "merge-job.yaml");
  const json& container = shards["spec"]["template"]["spec"]["containers"][0];
  const int count = shards["spec"]["completions"];
  TempDir reports;
  // What the pod sees: its env, with the two mounts at local paths, and the
  // index the Job controller gives each pod.
  for (int index = 0; index < count; ++index) {
    CliOptions options;
    options.env = git_test_env();
    for (const auto& [k, v] : literal_env(container)) options.env[k] = v;
    options.env["REPOS_FILE"] = org.list.string();
    options.env["REPORTS_DIR"] = reports.path().string();
    options.env["JOB_COMPLETION_INDEX"] = std::to_string(index);
    options.env["PATH"] = path_with_binary();
    const auto r = run_program({"/bin/sh", "-c", container["args"][0].get<std::string>()}, options);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // findings are a result, not a failed pod
    EXPECT_TRUE(std::filesystem::exists(reports.path() / ("shard-" + std::to_string(index) + ".jsonl.manifest.json")))
        << r.out << r.err;
  }
  CliOptions options;
  options.env = literal_env(merge["spec"]["template"]["spec"]["containers"][0]);
  options.env["REPORTS_DIR"] = reports.path().string();
  options.env["PATH"] = path_with_binary();
  const auto merged = run_program(
      {"/bin/sh", "-c", merge["spec"]["template"]["spec"]["containers"][0]["args"][0].get<std::string>()}, options);
  EXPECT_EQ(merged.exit_code, 1) << merged.err;  // the Job fails: there are findings

  const auto [single, summary] = org.single_run();
  EXPECT_EQ(single.size(), 6u);
  const json merged_json = json::parse(read_file(reports.path() / "merged.json"));
  EXPECT_EQ(as_set(merged_json.get<std::vector<json>>()), as_set(single));
  EXPECT_EQ(summary_of(merged.out), summary);

  // A pod that never wrote its report: the merge is incomplete and says which.
  std::filesystem::remove(reports.path() / "shard-1.jsonl");
  std::filesystem::remove(reports.path() / "shard-1.jsonl.manifest.json");
  const auto hole = run_program(
      {"/bin/sh", "-c", merge["spec"]["template"]["spec"]["containers"][0]["args"][0].get<std::string>()}, options);
  EXPECT_NE(hole.err.find("shard 1/" + std::to_string(count) + " is missing"), std::string::npos) << hole.err;
}

// ${{ … }} expressions of the workflow, as the runner would expand them here;
// an expression the test does not know fails it (the workflow drifted).
std::string expand(const std::string& text, const std::map<std::string, std::string>& values) {
  std::string out;
  const std::regex expression(R"(\$\{\{\s*([^}]+?)\s*\}\})");
  std::size_t last = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), expression); it != std::sregex_iterator(); ++it) {
    out += text.substr(last, it->position() - last);
    const std::string name = (*it)[1];
    if (name.starts_with("secrets.")) {
      // empty: no token in a local run
    } else {
      if (!values.contains(name)) throw std::runtime_error("unknown expression " + name);
      out += values.at(name);
    }
    last = it->position() + it->length();
  }
  return out + text.substr(last);
}

const json& step_with_id(const json& job, const std::string& id) {
  for (const auto& step : job["steps"])
    if (step.value("id", "") == id) return step;
  throw std::runtime_error("no step " + id);
}

const json& step_using(const json& job, const std::string& action) {
  for (const auto& step : job["steps"])
    if (step.value("uses", "").starts_with(action)) return step;
  throw std::runtime_error("no step using " + action);
}

TEST(OrgAuditDeploy, ActionsMatrixAndMergeAsLocalProcessesEqualOneRun) {
  const json workflow = yaml_document(kSource / "examples/github-actions/org-audit.yml");
  const json& shard_job = workflow["jobs"]["shard"];
  const json& merge_job = workflow["jobs"]["merge"];
  const int count = workflow["env"]["SHARDS"];
  json expected_matrix = json::array();
  for (int i = 0; i < count; ++i) expected_matrix.push_back(i);
  EXPECT_EQ(shard_job["strategy"]["matrix"]["shard"], expected_matrix);
  EXPECT_EQ(shard_job["strategy"]["fail-fast"], false);
  EXPECT_EQ(merge_job["needs"], "shard");
  EXPECT_NE(merge_job["if"].get<std::string>().find("always()"), std::string::npos);
  const json& upload = step_using(shard_job, "actions/upload-artifact@");
  EXPECT_EQ(upload["if"], "always()");
  EXPECT_EQ(upload["with"]["path"], "reports/");  // the reports and their manifests
  const json& download = step_using(merge_job, "actions/download-artifact@");
  EXPECT_EQ(download["with"]["path"], "reports");
  EXPECT_EQ(download["with"]["merge-multiple"], true);
  EXPECT_EQ(expand(upload["with"]["name"], {{"matrix.shard", "0"}}).substr(0, 16),
            download["with"]["pattern"].get<std::string>().substr(0, 16));

  Organisation org(7);
  // The checkout holds repos.txt; download-artifact merges every shard's reports/ into one.
  const auto work = org.dir.path();
  for (int index = 0; index < count; ++index) {
    const json& audit = step_with_id(shard_job, "audit");
    CliOptions options;
    options.cwd = work;
    options.env = git_test_env();
    options.env["PATH"] = path_with_binary();
    options.env["SHARDS"] = std::to_string(count);
    const std::map<std::string, std::string> values{{"matrix.shard", std::to_string(index)},
                                                    {"env.SHARDS", std::to_string(count)}};
    for (const auto& item : audit["env"].items()) options.env[item.key()] = expand(item.value().get<std::string>(), values);
    // The runner's default shell for `run`.
    const auto r = run_program({"bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                                expand(audit["run"], values)}, options);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  CliOptions options;
  options.cwd = work;
  options.env["PATH"] = path_with_binary();
  const auto merged =
      run_program({"bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step_with_id(merge_job, "merge")["run"], {})},
                  options);
  EXPECT_EQ(merged.exit_code, 1) << merged.err;
  const auto [single, summary] = org.single_run();
  EXPECT_EQ(as_set(json::parse(read_file(work / "merged.json")).get<std::vector<json>>()), as_set(single));
  EXPECT_EQ(summary_of(merged.out), summary);
}

}  // namespace
}  // namespace sentryscan::testing
