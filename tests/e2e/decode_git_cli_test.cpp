// Archives and encoded secrets in git history: every git source hands its
// blobs to the same ScanContext::scan, so they are expanded and decoded too.
#include <gtest/gtest.h>

#include "support/git_cli.h"
#include "core/base64.h"
#include "core/secret_hash.h"
#include "support/archive.h"
#include "support/fake_tokens.h"

namespace sentryscan::testing {
namespace {

std::string env_line(const std::string& token) { return "SENTRY_AUTH_TOKEN=" + token + "\n"; }

TEST(DecodeGitCli, AuditFindsADeletedArchiveAndAnEncodedSecret) {
  GitRepo repo;
  const std::string in_zip = fake_user_token("zip-in-history");
  const std::string in_secret = fake_user_token("k8s-in-history");
  repo.write("dist/app.zip", make_zip({{"config/.env", env_line(in_zip)}}));
  repo.write("k8s/secret.yaml", "data:\n  token: " + base64_encode(env_line(in_secret)) + "\n");
  const std::string added = repo.commit("add build output and a secret");
  repo.remove("dist/app.zip");
  repo.remove("k8s/secret.yaml");
  repo.commit("remove them");

  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto zipped = findings_of(scan.findings, in_zip);
  ASSERT_EQ(zipped.size(), 1u) << scan.process.out;
  EXPECT_EQ(zipped[0]["source"]["commit"], added);
  // The introducing path of the archive, then the entry inside it.
  EXPECT_EQ(zipped[0]["location"]["path"], "dist/app.zip!config/.env");
  const auto encoded = findings_of(scan.findings, in_secret);
  ASSERT_EQ(encoded.size(), 1u);
  EXPECT_EQ(encoded[0]["location"]["path"], "k8s/secret.yaml");
  EXPECT_EQ(encoded[0]["location"]["line"], 2);
  EXPECT_EQ(encoded[0]["decoded"], nlohmann::json::array({"base64"}));
}

TEST(DecodeGitCli, RangeGateReportsASecretAddedInsideAnArchive) {
  GitRepo repo;
  const std::string old_token = fake_user_token("archive-old");
  const std::string new_token = fake_user_token("archive-new");
  repo.write("release/bundle.tgz", make_tar({{"pkg/.env", env_line(old_token)}}, Compression::gzip));
  const std::string base = repo.commit("first release");
  repo.write("release/bundle.tgz",
             make_tar({{"pkg/.env", env_line(old_token)}, {"pkg/extra.env", env_line(new_token)}}, Compression::gzip));
  const std::string adding = repo.commit("second release");

  const GitScan scan = git_scan({"git", "--range", base + "..HEAD", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_TRUE(findings_of(scan.findings, old_token).empty()) << scan.process.out;  // already in the base
  const auto found = findings_of(scan.findings, new_token);
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["location"]["path"], "release/bundle.tgz!pkg/extra.env");
  EXPECT_EQ(found[0]["source"]["commit"], adding);
}

TEST(DecodeGitCli, StagedArchiveIsExpanded) {
  GitRepo repo;
  repo.commit_file("README.md", "hello\n", "init");
  const std::string token = fake_user_token("staged-archive");
  repo.write("vendor/lib.jar", make_zip({{"sentry.properties", "auth.token=" + token + "\n"}}));
  repo.git({"add", "vendor/lib.jar"});
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, token);
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["location"]["path"], "vendor/lib.jar!sentry.properties");
}

}  // namespace
}  // namespace sentryscan::testing
