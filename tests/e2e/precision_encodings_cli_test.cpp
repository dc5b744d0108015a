// Issue 12 (precision), encodings, through the real binary on generated
// content: UTF-16 without a byte order mark in files and in git blobs, a
// Kubernetes Secret holding base64 of a bare legacy token, and base64 behind
// an aligned zero prefix. Each fails the run (exit 1) with the finding where
// the user can see it; the counter-examples pass (exit 0).
#include <gtest/gtest.h>

#include "core/base64.h"
#include "support/fake_tokens.h"
#include "support/git_cli.h"
#include "support/scan_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

CliOptions in_dir(const TempDir& dir) {
  CliOptions options;
  options.cwd = dir.path();
  return options;
}

std::string utf16(std::string_view text, bool little) {
  std::string out;
  for (char c : text) {
    if (little) out += {c, '\0'};
    else out += {'\0', c};
  }
  return out;
}

std::string ps1_profile(const std::string& token) {
  return "# exported by Get-ChildItem Env: | Out-File\r\nPATH=C:\\Windows\r\nSENTRY_AUTH_TOKEN=" + token + "\r\n";
}

TEST(PrecisionEncodingsCli, Utf16WithoutBomFilesAreScannedAsText) {
  TempDir dir;
  const std::string le = fake_user_token("cli-utf16le-nobom");
  const std::string be = fake_user_token("cli-utf16be-nobom");
  dir.write("env-le.txt", utf16(ps1_profile(le), true));
  dir.write("env-be.txt", utf16(ps1_profile(be), false));
  const JsonScan scan = scan_json({"."}, in_dir(dir));
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  for (const auto& [token, path] : {std::pair{le, "env-le.txt"}, std::pair{be, "env-be.txt"}}) {
    const auto found = findings_of(scan.findings, token);
    ASSERT_EQ(found.size(), 1u) << path << scan.process.out;
    EXPECT_EQ(found[0]["location"]["path"], path);
    EXPECT_EQ(found[0]["location"]["line"], 3);  // the line of the text
    EXPECT_EQ(found[0]["location"]["column"], 19);
    EXPECT_EQ(found[0]["decoded"], nlohmann::json::array({"utf-16"}));
  }
}

TEST(PrecisionEncodingsCli, Utf16WithoutBomGitBlobsAreScannedAsText) {
  GitRepo repo;
  const std::string token = fake_user_token("git-utf16-nobom");
  repo.write("ops/env-dump.txt", utf16(ps1_profile(token), true));
  const std::string added = repo.commit("add an environment dump");
  repo.remove("ops/env-dump.txt");
  repo.commit("remove it");
  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, token);
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["location"]["path"], "ops/env-dump.txt");
  EXPECT_EQ(found[0]["location"]["line"], 3);
  EXPECT_EQ(found[0]["source"]["commit"], added);
}

TEST(PrecisionEncodingsCli, KubernetesSecretWithBase64OfABareLegacyToken) {
  TempDir dir;
  const std::string hex = fake_hex("cli-k8s-legacy", 64);
  const std::string encoded = base64_encode(hex);
  dir.write("k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n"
                               "  SENTRY_AUTH_TOKEN: " + encoded + "\n");
  const JsonScan scan = scan_json({"."}, in_dir(dir));
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, hex);
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["rule_id"], "sentry-legacy-token");
  EXPECT_EQ(found[0]["decoded"], nlohmann::json::array({"base64"}));
  EXPECT_EQ(found[0]["location"]["line"], 7);
  EXPECT_EQ(found[0]["location"]["column"], 22);
  EXPECT_EQ(scan.process.out.find(hex), std::string::npos) << "secret leaked";
}

TEST(PrecisionEncodingsCli, Base64OfHexUnderAnotherNameOrNoneStaysSilent) {
  TempDir dir;
  const std::string hex = fake_hex("cli-k8s-other", 64);
  dir.write("k8s/github.yaml", "kind: Secret\ndata:\n  GITHUB_TOKEN: " + base64_encode(hex) + "\n");
  dir.write("k8s/digest.yaml", "kind: ConfigMap\ndata:\n  digest: " + base64_encode(hex) + "\n");
  dir.write("bare.txt", base64_encode(hex) + "\n");
  const JsonScan scan = scan_json({"."}, in_dir(dir));
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.out;
  EXPECT_TRUE(scan.findings.empty()) << scan.process.out;
}

TEST(PrecisionEncodingsCli, Base64BehindAnAlignedZeroPrefix) {
  TempDir dir;
  const std::string token = fake_user_token("cli-zero-groups");
  dir.write("dump.json", "{\"blob\": \"" + base64_encode(std::string(3, '\0') + "SENTRY_AUTH_TOKEN=" + token + "\n") + "\"}\n");
  const JsonScan scan = scan_json({"."}, in_dir(dir));
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, token);
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["decoded"], nlohmann::json::array({"base64"}));
  EXPECT_EQ(found[0]["location"]["line"], 1);
}

}  // namespace
}  // namespace sentryscan::testing
