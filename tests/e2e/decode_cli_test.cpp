// Issue 7 end to end, through the real binary: credentials hidden in
// base64, escapes and archives are found, located and labelled; limits stop
// bombs with exit 3; ordinary files stay clean.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support/scan_cli.h"
#include "core/base64.h"
#include "core/secret_hash.h"
#include "support/archive.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

using Strings = std::vector<std::string>;

CliOptions in_dir(const TempDir& dir) {
  CliOptions options;
  options.cwd = dir.path();
  return options;
}

JsonScan scan_dir(const TempDir& dir, Strings extra = {}) {
  extra.push_back(".");
  return scan_json(extra, in_dir(dir));
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(c));
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

TEST(DecodeCli, KubernetesSecretWithBase64OrgToken) {
  TempDir dir;
  const std::string org = fake_org_token("k8s", OrgTokenSpec{"acme"});
  const std::string encoded = base64_encode(org);
  dir.write("deploy/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sentry\ntype: Opaque\ndata:\n"
                                  "  SENTRY_AUTH_TOKEN: " + encoded + "\n");
  const auto scan = scan_dir(dir);
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  ASSERT_EQ(scan.findings.size(), 1u) << scan.process.out;
  const auto& f = scan.findings[0];
  EXPECT_EQ(f["rule_id"], "sentry-org-token");
  EXPECT_EQ(f["decoded"], nlohmann::json::array({"base64"}));
  EXPECT_EQ(f["location"]["path"], "deploy/secret.yaml");
  EXPECT_EQ(f["location"]["line"], 7);
  EXPECT_EQ(f["location"]["column"], 22);
  EXPECT_EQ(f["location"]["end_column"], 21 + encoded.find('='));  // padding is not part of the token
  EXPECT_EQ(f["secret_sha256"], sha256_hex(org));
  EXPECT_EQ(f["fingerprint"], fingerprint("sentry-org-token", org));  // same as the plain token's
  EXPECT_EQ(f["token"]["org"], "acme");
  EXPECT_EQ(scan.process.out.find(org), std::string::npos) << "secret leaked";

  const auto text = run_sentryscan({"scan", "--no-color", "."}, in_dir(dir));
  EXPECT_NE(text.out.find("found after decoding base64"), std::string::npos) << text.out;

  const auto off = scan_dir(dir, {"--max-decode-depth", "0"});
  EXPECT_EQ(off.process.exit_code, 0);
  EXPECT_TRUE(off.findings.empty());
}

TEST(DecodeCli, DockerConfigJsonSecret) {
  TempDir dir;
  const std::string token = fake_user_token("registry");
  const std::string config = R"({"auths":{"registry.example.com":{"username":"ci","password":")" + token +
                             R"(","auth":")" + base64_encode("ci:" + token) + R"("}}})";
  dir.write("k8s/pull-secret.yaml", "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n"
                                    "  .dockerconfigjson: " + base64_encode(config) + "\n");
  // Only in `auth`: base64 inside base64.
  const std::string auth_only = R"({"auths":{"registry.example.com":{"auth":")" + base64_encode("ci:" + token) + R"("}}})";
  dir.write("k8s/auth-only.yaml", "data:\n  .dockerconfigjson: " + base64_encode(auth_only) + "\n");
  const auto scan = scan_dir(dir);
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  ASSERT_EQ(scan.findings.size(), 2u) << scan.process.out;  // one per encoded blob, however often it holds it
  EXPECT_EQ(scan.findings[0]["location"]["path"], "k8s/auth-only.yaml");
  EXPECT_EQ(scan.findings[0]["decoded"], nlohmann::json::array({"base64", "base64"}));
  EXPECT_EQ(scan.findings[0]["location"]["line"], 2);
  EXPECT_EQ(scan.findings[1]["location"]["path"], "k8s/pull-secret.yaml");
  EXPECT_EQ(scan.findings[1]["decoded"], nlohmann::json::array({"base64"}));
  for (const auto& f : scan.findings) {
    EXPECT_EQ(f["rule_id"], "sentry-user-token");
    EXPECT_EQ(f["secret_sha256"], sha256_hex(token));
  }
}

TEST(DecodeCli, PercentEncodedCredentialsInQueryStrings) {
  TempDir dir;
  const std::string dsn = fake_dsn("query");
  std::string org;  // one whose base64 holds '+' or '/', so encoding changes it
  for (int seed = 0; percent_encode(org) == org || org.empty(); ++seed) org = fake_org_token(fmt::format("query{}", seed));
  const std::string encoded_org = percent_encode(org);
  dir.write("docs/links.html", "<a href=\"https://app.example.net/setup?dsn=" + percent_encode(dsn) + "&step=3\">x</a>\n"
                               "<a href=\"https://ci.example.net/hook?token=" + encoded_org + "&x=1\">y</a>\n");
  const auto scan = scan_dir(dir, {"--show-secrets"});
  ASSERT_EQ(scan.findings.size(), 2u) << scan.process.out;
  const auto dsns = of_rule(scan.findings, "sentry-dsn");
  ASSERT_EQ(dsns.size(), 1u);  // the DSN rule reads %2F itself: found once, not again decoded
  EXPECT_EQ(dsns[0]["location"]["line"], 1);
  const auto orgs = of_rule(scan.findings, "sentry-org-token");
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_EQ(orgs[0]["decoded"], nlohmann::json::array({"percent"}));
  EXPECT_EQ(orgs[0]["secret"], org);
  EXPECT_EQ(orgs[0]["location"]["line"], 2);
  EXPECT_EQ(orgs[0]["location"]["column"], 1 + std::string("<a href=\"https://ci.example.net/hook?token=").size());
  EXPECT_EQ(orgs[0]["location"]["end_column"],
            std::string("<a href=\"https://ci.example.net/hook?token=").size() + encoded_org.size());
}

TEST(DecodeCli, TokenInAJavaScriptStringWithUnicodeEscapes) {
  TempDir dir;
  const std::string dsn = fake_dsn("js-escape");
  std::string escaped;
  for (char c : dsn) escaped += c == '/' ? std::string("\\u002F") : std::string(1, c);
  dir.write("public/bundle.js", "var a=1;\nSentry.init({dsn:\"" + escaped + "\",release:\"1.0\"});\n");
  const auto scan = scan_dir(dir, {"--show-secrets", "--fail-on", "low"});
  EXPECT_EQ(scan.process.exit_code, 1);
  ASSERT_EQ(scan.findings.size(), 1u) << scan.process.out;
  const auto& f = scan.findings[0];
  EXPECT_EQ(f["rule_id"], "sentry-dsn");
  EXPECT_EQ(f["secret"], dsn);
  EXPECT_EQ(f["decoded"], nlohmann::json::array({"escape"}));
  EXPECT_EQ(f["location"]["line"], 2);
  EXPECT_EQ(f["location"]["column"], 19);
  EXPECT_EQ(f["location"]["end_column"], 18 + escaped.size());
  EXPECT_EQ(f["dsn"]["project_id"], "4500000000000001");
}

TEST(DecodeCli, DsnInADexInsideAnApkInsideATarball) {
  TempDir dir;
  const std::string dsn = fake_dsn("mobile");
  const std::string apk = make_apk(dsn);
  dir.write("release.tar.gz", make_tar({{"dist/README.txt", "release notes\n"}, {"dist/app-release.apk", apk}},
                                       Compression::gzip));
  const auto scan = scan_dir(dir, {"--fail-on", "low"});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  ASSERT_EQ(scan.findings.size(), 1u) << scan.process.out;
  const auto& f = scan.findings[0];
  EXPECT_EQ(f["rule_id"], "sentry-dsn");
  EXPECT_EQ(f["location"]["path"], "release.tar.gz!dist/app-release.apk!classes.dex");
  EXPECT_EQ(f["binary"], true);
  EXPECT_FALSE(f.contains("decoded"));
  EXPECT_EQ(f["secret_sha256"], sha256_hex(dsn));
  EXPECT_TRUE(scan.process.err.empty()) << scan.process.err;
}

TEST(DecodeCli, EveryZipFlavourAndCompressedFile) {
  TempDir dir;
  const std::string token = fake_user_token("flavours");
  const std::string env = "SENTRY_AUTH_TOKEN=" + token + "\n";
  for (const char* name : {"lib.jar", "app.aar", "pkg-1.0-py3-none-any.whl", "App.ipa", "Pkg.1.0.nupkg"})
    dir.write(name, make_zip({{"config/sentry.properties", env}}));
  dir.write("bundle.tgz", make_tar({{"pkg/.env", env}}, Compression::gzip));
  dir.write("logs.tar.bz2", make_tar({{"pkg/.env", env}}, Compression::bzip2));
  dir.write("dump.tar.xz", make_tar({{"pkg/.env", env}}, Compression::xz));
  dir.write("dump.tar.zst", make_tar({{"pkg/.env", env}}, Compression::zstd));
  dir.write("build/app.env.gz", compress(env, Compression::gzip));
  const auto scan = scan_dir(dir);
  std::set<std::string> paths;
  for (const auto& f : scan.findings) paths.insert(f["location"]["path"].get<std::string>());
  EXPECT_EQ(paths, (std::set<std::string>{"App.ipa!config/sentry.properties", "Pkg.1.0.nupkg!config/sentry.properties",
                                          "app.aar!config/sentry.properties", "build/app.env.gz!app.env",
                                          "bundle.tgz!pkg/.env", "dump.tar.xz!pkg/.env", "dump.tar.zst!pkg/.env",
                                          "lib.jar!config/sentry.properties", "logs.tar.bz2!pkg/.env",
                                          "pkg-1.0-py3-none-any.whl!config/sentry.properties"}));
}

TEST(DecodeCli, ZipBombIsStoppedAndReported) {
  TempDir dir;
  const std::string bomb = make_zip({{"zeros.bin", std::string(20u << 20, '\0')}});
  ASSERT_LT(bomb.size(), 256u << 10);
  dir.write("bomb.zip", bomb);
  const auto alone = scan_dir(dir);
  EXPECT_EQ(alone.process.exit_code, 3) << alone.process.err;
  EXPECT_NE(alone.process.err.find("bomb.zip: archive expansion stopped at limit"), std::string::npos) << alone.process.err;

  // Findings from before the limit are kept (and fail the gate).
  const std::string token = fake_user_token("before-the-bomb");
  dir.write("bomb.zip", make_zip({{"a/.env", "SENTRY_AUTH_TOKEN=" + token + "\n"}, {"zeros.bin", std::string(20u << 20, '\0')}}));
  const auto with_token = scan_dir(dir);
  EXPECT_EQ(with_token.process.exit_code, 1);
  ASSERT_EQ(with_token.findings.size(), 1u);
  EXPECT_EQ(with_token.findings[0]["location"]["path"], "bomb.zip!a/.env");
  EXPECT_NE(with_token.process.err.find("archive expansion stopped at limit"), std::string::npos);
}

TEST(DecodeCli, MaxArchiveSizeStopsExpansion) {
  TempDir dir;
  const std::string token = fake_user_token("late-entry");
  std::vector<ArchiveFile> files;
  for (int i = 0; i < 3; ++i) files.push_back({fmt::format("part{}.txt", i), std::string(700u << 10, 'a' + i)});
  files.push_back({"last/.env", "SENTRY_AUTH_TOKEN=" + token + "\n"});
  dir.write("parts.tar.gz", make_tar(files, Compression::gzip));
  EXPECT_EQ(scan_dir(dir).process.exit_code, 1);
  const auto limited = scan_dir(dir, {"--max-archive-size", "1MiB"});
  EXPECT_EQ(limited.process.exit_code, 3);
  EXPECT_TRUE(limited.findings.empty());
  EXPECT_NE(limited.process.err.find("more than 1 MiB expanded from one file (--max-archive-size)"), std::string::npos)
      << limited.process.err;
  EXPECT_EQ(run_sentryscan({"scan", "--max-archive-size", "lots", "."}, in_dir(dir)).exit_code, 2);
}

TEST(DecodeCli, DeeplyNestedArchiveStopsAtTheDepthLimit) {
  TempDir dir;
  const std::string token = fake_user_token("matryoshka");
  std::string archive = make_zip({{"secret.env", "SENTRY_AUTH_TOKEN=" + token + "\n"}});
  for (int level = 4; level >= 1; --level) archive = make_zip({{fmt::format("level{}.zip", level), archive}});
  dir.write("outer.zip", archive);  // outer.zip!level1.zip!...!level4.zip!secret.env: five archives deep
  const auto limited = scan_dir(dir);
  EXPECT_EQ(limited.process.exit_code, 3);
  EXPECT_TRUE(limited.findings.empty());
  EXPECT_NE(limited.process.err.find("outer.zip!level1.zip!level2.zip!level3.zip: archive nested deeper than "
                                     "--max-archive-depth (3): not expanded"),
            std::string::npos)
      << limited.process.err;
  const auto deep = scan_dir(dir, {"--max-archive-depth", "5"});
  EXPECT_EQ(deep.process.exit_code, 1);
  ASSERT_EQ(deep.findings.size(), 1u);
  EXPECT_EQ(deep.findings[0]["location"]["path"],
            "outer.zip!level1.zip!level2.zip!level3.zip!level4.zip!secret.env");
}

TEST(DecodeCli, OrdinaryFilesStayClean) {
  TempDir dir;
  // Base64 images, lockfile digests, escaped JSON, URL-encoded links, a
  // gzipped log and a jar of class files: decoding must add nothing here.
  std::string png;
  for (int i = 0; i < 600; ++i) png.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
  dir.write("web/index.html", "<img src=\"data:image/png;base64," + base64_encode(png) + "\">\n"
                              "<a href=\"/search?q=sentry%20dsn&from=%2Fdocs%2Fsetup%3Fstep%3D1\">docs</a>\n");
  dir.write("package-lock.json", "{\"integrity\": \"sha512-" + base64_encode(png.substr(0, 64)) + "\"}\n");
  dir.write("api/fixture.json", "{\"url\":\"https:\\/\\/example.com\\/a\\/b\",\"name\":\"caf\\u00e9\",\"id\":\"" +
                                    fake_hex("id", 64) + "\"}\n");
  dir.write("ci/values.yaml", "image: " + base64_encode("registry.example.com/team/app:1.2.3 built by ci") + "\n");
  dir.write("logs/app.log.gz", compress("INFO started\nINFO sentry disabled\n", Compression::gzip));
  dir.write("lib/app.jar", make_zip({{"com/example/App.class", std::string("\xca\xfe\xba\xbe", 4) + png},
                                     {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"}}));
  const auto scan = scan_dir(dir, {"--fail-on", "low"});
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.out << scan.process.err;
  EXPECT_TRUE(scan.findings.empty());
  EXPECT_TRUE(scan.process.err.empty()) << scan.process.err;
}

TEST(DecodeCli, DamagedArchiveIsScannedAsBytesWithAWarning) {
  TempDir dir;
  const std::string token = fake_user_token("damaged");
  // Looks like a gzip file, is not one: the bytes are still scanned.
  dir.write("notes.gz", std::string("\x1f\x8b\x08", 3) + "\0\0\0\0garbage SENTRY_AUTH_TOKEN=" + token + "\n");
  const auto scan = scan_dir(dir);
  EXPECT_EQ(scan.process.exit_code, 1);
  ASSERT_EQ(scan.findings.size(), 1u);
  EXPECT_EQ(scan.findings[0]["location"]["path"], "notes.gz");
  EXPECT_NE(scan.process.err.find("warning: notes.gz: damaged archive"), std::string::npos) << scan.process.err;
}

}  // namespace
}  // namespace sentryscan::testing
