// Issue 12 (precision), through the real binary on generated content: the
// Sentry-name contexts a reviewer reads (value on the next line, Unicode
// spaces, `sentry <hex>` key listings, a prefixed token glued to text) are
// reported, and the look-alikes next to them stay silent.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <set>

#include "core/secret_hash.h"
#include "support/fake_tokens.h"
#include "support/scan_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

JsonScan scan_dir(const TempDir& dir) {
  CliOptions options;
  options.cwd = dir.path();
  return scan_json({"."}, options);
}

// "path:line" of every finding of `rule_id`, and checks each one's secret.
std::set<std::string> located(const JsonScan& scan, const std::string& rule_id,
                              const std::map<std::string, std::string>& secret_of_path = {}) {
  std::set<std::string> out;
  for (const auto& f : of_rule(scan.findings, rule_id)) {
    const std::string path = f["location"]["path"];
    out.insert(fmt::format("{}:{}", path, f["location"]["line"].get<int>()));
    if (const auto it = secret_of_path.find(path); it != secret_of_path.end()) {
      EXPECT_EQ(f["secret_sha256"], sha256_hex(it->second)) << path;
    }
  }
  return out;
}

TEST(PrecisionContextCli, ValueOnTheLineAfterItsSentryNameIsReported) {
  TempDir dir;
  const std::string a = fake_hex("block-literal", 64), b = fake_hex("block-folded", 64),
                    c = fake_hex("yaml-next-line", 64), d = fake_hex("json-next-line", 64);
  dir.write("ci/literal.yml", "env:\n  SENTRY_AUTH_TOKEN: |\n    " + a + "\n  OTHER: 1\n");
  dir.write("ci/folded.yaml", "env:\n  SENTRY_AUTH_TOKEN: >-\r\n    " + b + "\r\n");
  dir.write("ci/plain.yml", "vars:\n  sentry_token:\n    " + c + "\n");
  dir.write("config/env.json", "{\n  \"SENTRY_AUTH_TOKEN\":\n      \"" + d + "\",\n  \"x\": 1\n}\n");
  // Two line breaks is a gap too far: the value belongs to something else.
  dir.write("ci/gap.yml", "SENTRY_AUTH_TOKEN:\n\n  " + fake_hex("gap", 64) + "\n");
  const auto scan = scan_dir(dir);
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(located(scan, "sentry-legacy-token",
                    {{"ci/literal.yml", a}, {"ci/folded.yaml", b}, {"ci/plain.yml", c}, {"config/env.json", d}}),
            (std::set<std::string>{"ci/literal.yml:3", "ci/folded.yaml:3", "ci/plain.yml:3", "config/env.json:3"}))
      << scan.process.out;
}

TEST(PrecisionContextCli, UnicodeSpacesAroundTheSeparatorAreReported) {
  TempDir dir;
  const std::string nbsp = "\xC2\xA0", ideographic = "\xE3\x80\x80", thin = "\xE2\x80\x89",
                    narrow = "\xE2\x80\xAF";
  const std::string a = fake_hex("nbsp", 64), b = fake_hex("ideographic", 64), c = fake_hex("thin", 64),
                    d = fake_hex("api-key-nbsp", 32);
  dir.write("a.env", "SENTRY_AUTH_TOKEN" + nbsp + "=" + nbsp + a + "\n");
  dir.write("b.yml", "SENTRY_TOKEN:" + ideographic + b + "\n");
  dir.write("c.sh", "export SENTRY_ACCESS_TOKEN" + thin + "=" + narrow + "\"" + c + "\"\n");
  dir.write("d.env", "SENTRY_API_KEY" + nbsp + "=" + d + "\n");
  const auto scan = scan_dir(dir);
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(located(scan, "sentry-legacy-token", {{"a.env", a}, {"b.yml", b}, {"c.sh", c}}),
            (std::set<std::string>{"a.env:1", "b.yml:1", "c.sh:1"}))
      << scan.process.out;
  EXPECT_EQ(located(scan, "sentry-legacy-api-key", {{"d.env", d}}), (std::set<std::string>{"d.env:1"}))
      << scan.process.out;
}

TEST(PrecisionContextCli, SentryKeyListingIsReportedButNotDigestListings) {
  TempDir dir;
  const std::string a = fake_hex("listing-space", 64), b = fake_hex("listing-colon", 64),
                    c = fake_hex("listing-equals", 64);
  // trufflehog's pkg/engine/testdata/secrets.txt shape, then YAML and env shapes.
  dir.write("notes/keys.txt", "  1 aws example\n sentry " + a + "\n");
  dir.write("notes/keys.yml", "tokens:\n  sentry: \"" + b + "\"\n");
  dir.write("notes/keys.env", "SENTRY=" + c + "\n");
  // Digests that name sentry: checksum files, lockfiles, JSON/YAML digest maps,
  // and keys of which `sentry` is only a part.
  const std::string digest = fake_hex("digest", 64);
  dir.write("dist/SHA256SUMS", "sentry " + digest + "\n");
  dir.write("dist/sentry-cli-Linux-x86_64.sha256", "sentry: " + digest + "\n");
  dir.write("poetry.lock", "sentry = \"" + digest + "\"\n");
  dir.write("tools/versions.json",
            "{\n  \"checksums\": {\n    \"sentry\": \"" + digest + "\",\n    \"node\": \"" +
                fake_hex("node", 64) + "\"\n  }\n}\n");
  dir.write("tools/pins.yml", "sha256:\n  sentry: " + digest + "\n");
  dir.write("tools/integrity.json", "{\"integrity\": {\"sentry\": \"" + digest + "\"}}\n");
  dir.write("tools/other.yml", "my_sentry: " + digest + "\nsentry.release: " + digest + "\nsentry-cli " + digest + "\n");
  const auto scan = scan_dir(dir);
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(located(scan, "sentry-legacy-token", {{"notes/keys.txt", a}, {"notes/keys.yml", b}, {"notes/keys.env", c}}),
            (std::set<std::string>{"notes/keys.txt:2", "notes/keys.yml:2", "notes/keys.env:1"}))
      << scan.process.out;
  EXPECT_EQ(scan.findings.size(), 3u) << scan.process.out;
}

TEST(PrecisionContextCli, PrefixedHexTokenGluedToTextIsReported) {
  TempDir dir;
  const std::string u = fake_user_token("glued-u"), a = fake_prefixed_token("sntrya_", "glued-a"),
                    i = fake_prefixed_token("sntryi_", "glued-i");
  dir.write("glued.txt", u + "g\nname=" + a + "_suffix\n" + i + "Z\n");
  // More hex is a longer value, not a token.
  dir.write("longer.txt", fake_user_token("longer") + "a\n");
  const auto scan = scan_dir(dir);
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(located(scan, "sentry-user-token", {{"glued.txt", u}}), (std::set<std::string>{"glued.txt:1"}));
  EXPECT_EQ(located(scan, "sentry-user-app-secret", {{"glued.txt", a}}), (std::set<std::string>{"glued.txt:2"}));
  EXPECT_EQ(located(scan, "sentry-integration-token", {{"glued.txt", i}}), (std::set<std::string>{"glued.txt:3"}));
  EXPECT_EQ(scan.findings.size(), 3u) << scan.process.out;
}

TEST(PrecisionContextCli, SentryLookAlikesStaySilent) {
  TempDir dir;
  const std::string hex64 = fake_hex("look-alike", 64), trace = fake_hex("trace", 32), span = fake_hex("span", 16),
                    key = fake_hex("public-key", 32);
  dir.write("deploy/compose.yml", "services:\n  web:\n    image: getsentry/sentry@sha256:" + hex64 +
                                      "\n    environment:\n      SENTRY_AUTH_TOKEN: ${SENTRY_AUTH_TOKEN}\n");
  dir.write("dist/checksums.txt", hex64 + "  sentry-cli-Linux-x86_64\n" + hex64 + "  sentry-cli-Darwin-universal\n");
  dir.write("dist/SHA256SUMS", "SENTRY_AUTH_TOKEN=" + hex64 + "\n");
  dir.write(".env", "SENTRY_RELEASE=" + hex64 + "\nSENTRY_DSN_HASH=" + hex64 + "\nSENTRY_ENVIRONMENT=" + hex64 +
                        "\nSENTRY_AUTH_TOKEN=<your-token>\nSENTRY_AUTH_TOKEN=${SENTRY_AUTH_TOKEN}\n");
  dir.write("logs/event.json", "{\"sentry\": {\"event_id\": \"" + trace + "\", \"trace_id\": \"" + trace +
                                   "\", \"span_id\": \"" + span + "\", \"release\": \"" + hex64 + "\"}}\n");
  dir.write("logs/request.http", "GET /api HTTP/1.1\nsentry-trace: " + trace + "-" + span +
                                     "-1\nbaggage: sentry-trace_id=" + trace + ",sentry-public_key=" + key +
                                     ",sentry-release=" + hex64 + "\n");
  // Sentry cannot issue an org token whose last secret character has low bits
  // set (gitleaks' generator writes such fixtures).
  std::string org = fake_org_token("impossible-last");
  org.back() = 'B';
  dir.write("fixtures/org.txt", "SENTRY_AUTH_TOKEN=" + org + "\n");
  const auto scan = scan_dir(dir);
  EXPECT_EQ(scan.process.exit_code, 0) << scan.process.out << scan.process.err;
  EXPECT_TRUE(scan.findings.empty()) << scan.process.out;
}

}  // namespace
}  // namespace sentryscan::testing
