#include <gtest/gtest.h>

#include "core/base64.h"
#include "match/checks.h"
#include "support/fake_tokens.h"

namespace sentryscan {
namespace {

using testing::fake_hex;
using testing::fake_org_token;
using testing::OrgTokenSpec;

TEST(DecodeOrgToken, ReportsOrgUrlRegionAndIssuedAt) {
  const auto token = fake_org_token("decode", OrgTokenSpec{"acme-corp", "https://sentry.io", "https://de.sentry.io",
                                                           1709528767.25});
  const auto info = decode_org_token(token);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->org, "acme-corp");
  EXPECT_EQ(info->url, "https://sentry.io");
  EXPECT_EQ(info->region_url, "https://de.sentry.io");
  EXPECT_EQ(info->issued_at, "2024-03-04T05:06:07Z");
}

TEST(DecodeOrgToken, NullUrlOfOldSelfHostedInstalls) {
  const auto info = decode_org_token(fake_org_token("null-url", OrgTokenSpec{"acme", "null", "", 1714521600.0}));
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->url.has_value());
  EXPECT_EQ(info->region_url, "");
}

TEST(DecodeOrgToken, KeyOrderAndWhitespaceDoNotMatterBeyondTheIatPrefix) {
  const std::string json = R"({"iat": 1714521600, "org": "x",   "region_url": "", "url": "https://sentry.example.net"})";
  const std::string token = "sntrys_" + base64_encode(json) + "_" + fake_org_token("s").substr(fake_org_token("s").size() - 43);
  const auto info = decode_org_token(token);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->url, "https://sentry.example.net");
}

TEST(DecodeOrgToken, RejectsStructuralDefects) {
  const std::string good = fake_org_token("defects");
  const std::string secret = good.substr(good.size() - 43);
  const std::string payload = good.substr(7, good.size() - 7 - 44);
  EXPECT_TRUE(decode_org_token(good));
  EXPECT_FALSE(decode_org_token("sntrys_" + payload + "_" + secret.substr(1)));              // 42
  EXPECT_FALSE(decode_org_token("sntrys_" + payload + "_" + secret + "A"));                  // 44
  EXPECT_FALSE(decode_org_token("sntrys_" + payload + "_" + secret + "_x"));                 // 3 underscores
  EXPECT_FALSE(decode_org_token("sntrys_" + base64_encode("[1,2,3]") + "_" + secret));      // not an object
  EXPECT_FALSE(decode_org_token("sntrys_" + base64_encode(R"({"iat":0})") + "_" + secret));  // falsy iat
  EXPECT_FALSE(decode_org_token("sntrys_" + base64_encode(R"({"org":"x"})") + "_" + secret));  // no iat
  EXPECT_FALSE(decode_org_token("sntrys_" + base64_encode(R"({"iat":1,)") + "_" + secret));  // broken JSON
  std::string bad_tail = secret;
  bad_tail.back() = 'B';  // low bits set: cannot be 32 random bytes
  EXPECT_FALSE(decode_org_token("sntrys_" + payload + "_" + bad_tail));
}

TEST(ParseDsn, ClassifiesSaasRegionsAndOrgIds) {
  const std::string key = fake_hex("k", 32);
  auto us = parse_dsn("https://" + key + "@o123.ingest.us.sentry.io/456");
  ASSERT_TRUE(us);
  EXPECT_TRUE(us->saas);
  EXPECT_EQ(us->region, "us");
  EXPECT_EQ(us->org_id, "123");
  EXPECT_EQ(us->project_id, "456");
  EXPECT_FALSE(us->has_secret);
  auto de = parse_dsn("https://" + key + "@o9.ingest.de.sentry.io/1");
  ASSERT_TRUE(de);
  EXPECT_EQ(de->region, "de");
  auto legacy = parse_dsn("https://" + key + "@o9.ingest.sentry.io/1");
  ASSERT_TRUE(legacy);
  EXPECT_TRUE(legacy->saas);
  EXPECT_EQ(legacy->region, "");
  EXPECT_EQ(legacy->org_id, "9");
  auto plain = parse_dsn("https://" + key + "@sentry.io/1");
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->saas);
  EXPECT_EQ(plain->org_id, "");
}

TEST(ParseDsn, SelfHostedWithPortPrefixAndSecret) {
  const std::string key = fake_hex("k", 32), secret = fake_hex("s", 32);
  auto dsn = parse_dsn("http://" + key + ":" + secret + "@sentry.corp.internal:9000/sentry/42");
  ASSERT_TRUE(dsn);
  EXPECT_FALSE(dsn->saas);
  EXPECT_TRUE(dsn->has_secret);
  EXPECT_EQ(dsn->host, "sentry.corp.internal");
  EXPECT_EQ(dsn->port, "9000");
  EXPECT_EQ(dsn->path_prefix, "/sentry");
  EXPECT_EQ(dsn->project_id, "42");
  // A look-alike host is not sentry.io.
  auto lookalike = parse_dsn("https://" + key + "@o1.ingest.us.sentry.io.evil.net/2");
  ASSERT_TRUE(lookalike);
  EXPECT_FALSE(lookalike->saas);
}

TEST(ParseDsn, EscapedAndPercentEncodedForms) {
  const std::string key = fake_hex("k", 32);
  auto escaped = parse_dsn("https:\\/\\/" + key + "@o1.ingest.sentry.io\\/2");
  ASSERT_TRUE(escaped);
  EXPECT_EQ(escaped->project_id, "2");
  auto encoded = parse_dsn("https%3A%2F%2F" + key + "%40o1.ingest.sentry.io%2F2");
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded->host, "o1.ingest.sentry.io");
}

TEST(ParseDsn, RejectsPlaceholders) {
  EXPECT_FALSE(parse_dsn("https://examplePublicKey@o0.ingest.sentry.io/0"));
  EXPECT_FALSE(parse_dsn("https://public@sentry.example.com/1"));
  EXPECT_FALSE(parse_dsn("https://" + std::string(32, 'a') + "@o1.ingest.sentry.io/2"));
  EXPECT_FALSE(parse_dsn("https://" + fake_hex("k", 32) + "@sentry.example.com/1"));
  EXPECT_FALSE(parse_dsn("https://" + fake_hex("k", 32) + "@o1.ingest.sentry.io/0"));
}

TEST(Placeholders, RepeatingPatternsAreNotCredentials) {
  EXPECT_TRUE(is_placeholder(std::string(64, '0')));
  EXPECT_TRUE(is_placeholder(std::string(64, 'x')));
  std::string deadbeef;
  for (int i = 0; i < 8; ++i) deadbeef += "deadbeef";
  EXPECT_TRUE(is_placeholder(deadbeef));
  EXPECT_FALSE(is_placeholder(fake_hex("random", 64)));
}

TEST(Lockfiles, KnownNamesAtAnyDepth) {
  for (const char* path : {"poetry.lock", "a/b/Pipfile.lock", "web/package-lock.json", "yarn.lock", "Cargo.lock",
                           "go.sum", "requirements.txt", "requirements-dev.txt"})
    EXPECT_TRUE(is_lockfile_path(path)) << path;
  for (const char* path : {"package.json", ".env", "src/lock.rs", "requirements.md"})
    EXPECT_FALSE(is_lockfile_path(path)) << path;
}

TEST(ChecksumFiles, DigestListsByNameAtAnyDepth) {
  for (const char* path : {"SHA256SUMS", "dist/SHA512SUMS", "CHECKSUMS.txt", "b2sums", "release/checksums.txt",
                           "sentry-cli-Linux-x86_64.sha256", "x.SHA512", "a/b.md5", "SHA256SUMS.asc"})
    EXPECT_TRUE(is_checksum_path(path)) << path;
  for (const char* path : {".env", "albums", "sums.rs", "sha256.go", "src/checksum.py", "sentry.properties"})
    EXPECT_FALSE(is_checksum_path(path)) << path;
}

// A digest word shortly before the key marks a digest map; 2 KiB further
// back it no longer counts.
TEST(Contexts, DigestListings) {
  const std::string hex = fake_hex("digest-map", 64);
  const std::string map = "{\n  \"checksums\": {\n    \"sentry\": \"" + hex + "\"\n  }\n}\n";
  EXPECT_TRUE(in_digest_listing(map, map.find(hex)));
  const std::string plain = "tokens:\n  sentry: " + hex + "\n";
  EXPECT_FALSE(in_digest_listing(plain, plain.find(hex)));
  const std::string far = "# sha256 pins\n" + std::string(4096, '#') + "\nsentry: " + hex + "\n";
  EXPECT_FALSE(in_digest_listing(far, far.find(hex)));
}

TEST(Contexts, SentryKeyCarriers) {
  const std::string key = fake_hex("carrier", 32);
  auto at = [](const std::string& text) { return text.rfind("sentry_key=") + 11; };
  const std::string header = "X-Sentry-Auth: Sentry sentry_version=7, sentry_key=" + key;
  EXPECT_TRUE(sentry_key_in_carrier(header, at(header)));
  const std::string query = "GET /api/1/store/?sentry_key=" + key;
  EXPECT_TRUE(sentry_key_in_carrier(query, at(query)));
  const std::string prose = "the sentry_key=" + key;
  EXPECT_FALSE(sentry_key_in_carrier(prose, at(prose)));
}

TEST(Contexts, IniAuthSectionOnly) {
  const std::string value = fake_hex("ini", 64);
  const std::string in_auth = "[defaults]\norg=x\n[auth]\ntoken=" + value + "\n";
  EXPECT_TRUE(in_sentry_ini_auth_section(in_auth, in_auth.find(value), ".sentryclirc"));
  EXPECT_FALSE(in_sentry_ini_auth_section(in_auth, in_auth.find(value), "tool.ini"));
  const std::string in_defaults = "[auth]\nx=1\n[defaults]\ntoken=" + value + "\n";
  EXPECT_FALSE(in_sentry_ini_auth_section(in_defaults, in_defaults.find(value), ".sentryclirc"));
  const std::string no_section = "token=" + value + "\n";
  EXPECT_FALSE(in_sentry_ini_auth_section(no_section, no_section.find(value), ".sentryclirc"));
}

}  // namespace
}  // namespace sentryscan
