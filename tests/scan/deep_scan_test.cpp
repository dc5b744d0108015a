// Decoding through Scanner::scan, the hub every source calls: precision
// (the rules' own counter-examples stay silent however they are encoded),
// recall (their examples are found when encoded), dedupe and depth.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "core/base64.h"
#include "support/archive.h"
#include "scan/scanner.h"
#include "rules/rule_loader.h"
#include "support/scan_text.h"
#include "support/fake_tokens.h"

namespace sentryscan {
namespace {

using testing::fake_dsn;
using testing::fake_org_token;
using testing::fake_user_token;

struct Scan {
  std::vector<Finding> findings;
  ScanResult result;
};

Scan scan(std::string_view text, const std::string& path = "config/app.yaml", ScanLimits settings = {}) {
  const Scanner context(testing::default_matcher(), settings);
  Chunk chunk{text, {}};
  chunk.provenance.path = path;
  Scan out;
  ScanOutput output = context.scan(0, chunk);
  out.findings = std::move(output.findings);
  out.result.issues = std::move(output.issues);
  return out;
}

std::string percent_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '.' || c == '-') out.push_back(static_cast<char>(c));
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string json_escape_slashes(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '/' ? std::string("\\/") : std::string(1, c);
  return out;
}

// Findings of `rule` that decoding produced (plain matching is the rules' own business).
std::size_t count_decoded(const std::vector<Finding>& findings, const std::string& rule) {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(), [&](const Finding& f) {
    return f.rule_id == rule && !f.decoded.empty();
  }));
}

TEST(DeepScan, EncodedCounterExamplesStaySilent) {
  std::size_t checked = 0;
  for (const Rule& rule : testing::default_matcher().rules()) {
    for (const RuleExample& counter : rule.counter_examples) {
      const std::string path = counter.path.empty() ? "notes.txt" : counter.path;
      for (const std::string& encoded : {"value: " + base64_encode(counter.text) + "\n",
                                         "value: " + base64_encode(base64_encode(counter.text)) + "\n",
                                         "https://example.com/?q=" + percent_encode(counter.text) + "&x=1\n",
                                         "{\"v\":\"" + json_escape_slashes(counter.text) + "\"}\n"}) {
        EXPECT_EQ(count_decoded(scan(encoded, path).findings, rule.id), 0u)
            << rule.id << " counter-example at " << rule.origin << ":" << counter.line << " encoded as " << encoded;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 60u);
}

TEST(DeepScan, Base64EncodedExamplesAreFound) {
  std::size_t checked = 0;
  for (const Rule& rule : testing::default_matcher().rules()) {
    for (const RuleExample& example : rule.examples) {
      const std::string encoded = base64_encode(example.text);
      if (encoded.size() < 60) continue;  // too short to hide a credential
      const Scan result = scan("data:\n  value: " + encoded + "\n", example.path.empty() ? "secret.yaml" : example.path);
      bool found = false;
      for (const Finding& f : result.findings) {
        if (f.rule_id != rule.id || f.secret != example.secret) continue;
        found = true;
        EXPECT_EQ(f.decoded, std::vector<std::string>{"base64"});
        EXPECT_EQ(f.location.line, 2u);
        EXPECT_GE(f.location.column, 10u);
      }
      EXPECT_TRUE(found) << rule.id << " example at " << rule.origin << ":" << example.line;
      ++checked;
    }
  }
  EXPECT_GT(checked, 15u);
}

TEST(DeepScan, PlainFindingsAreNotReportedAgainDecoded) {
  const std::string org = fake_org_token("dedupe");
  const std::string dsn = fake_dsn("dedupe");
  const std::string text = "token: " + org + "\n" +                                  // payload is base64
                           "{\"dsn\":\"" + json_escape_slashes(dsn) + "\"}\n" +     // the rule matches \/ itself
                           "<a href=\"/setup?dsn=" + percent_encode(dsn) + "&x=1\">\n";  // and %2F too
  const Scan result = scan(text);
  ASSERT_EQ(result.findings.size(), 3u);
  for (const Finding& f : result.findings) EXPECT_TRUE(f.decoded.empty()) << f.rule_id << " line " << f.location.line;
}

TEST(DeepScan, EscapedOrgTokenIsFoundAtTheEscapedText) {
  // An org token holds '/' and '+' (base64): escaped, the rule cannot see it.
  std::string org;
  for (int seed = 0; org.find('/') == std::string::npos; ++seed) org = fake_org_token(fmt::format("escaped{}", seed));
  const std::string escaped = json_escape_slashes(org);
  const std::string text = "{\n  \"auth\": \"" + escaped + "\"\n}\n";
  const Scan result = scan(text, "bundle.json");
  ASSERT_EQ(result.findings.size(), 1u);
  const Finding& f = result.findings[0];
  EXPECT_EQ(f.rule_id, "sentry-org-token");
  EXPECT_EQ(f.secret, org);
  EXPECT_EQ(f.decoded, std::vector<std::string>{"escape"});
  EXPECT_EQ(f.location.line, 2u);
  EXPECT_EQ(f.location.column, 12u);
  EXPECT_EQ(f.location.end_column, 11u + escaped.size());
  ASSERT_TRUE(f.token.has_value());
  EXPECT_EQ(f.token->org, "example-org");
}

TEST(DeepScan, PercentAndStringEscapesInOneToken) {
  std::string org;
  for (int seed = 0; org.find('/') == std::string::npos || org.find('+') == std::string::npos; ++seed)
    org = fake_org_token(fmt::format("mixed{}", seed));
  std::string mixed;
  for (char c : org) mixed += c == '/' ? std::string("\\/") : c == '+' ? std::string("%2B") : std::string(1, c);
  const Scan result = scan("{\"hook\":\"https:\\/\\/ci.example.com\\/?t=" + mixed + "\"}\n", "hooks.json");
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].secret, org);
  EXPECT_EQ(result.findings[0].decoded, (std::vector<std::string>{"percent", "escape"}));
}

TEST(DeepScan, NestedEncodingsFollowTheDepthLimit) {
  const std::string token = fake_user_token("nested");
  const std::string text = "blob: " + base64_encode("inner: " + base64_encode("SENTRY_AUTH_TOKEN=" + token)) + "\n";
  const Scan deep = scan(text);
  ASSERT_EQ(deep.findings.size(), 1u);
  EXPECT_EQ(deep.findings[0].decoded, (std::vector<std::string>{"base64", "base64"}));
  EXPECT_EQ(deep.findings[0].secret, token);

  ScanLimits shallow;
  shallow.max_decode_depth = 1;
  EXPECT_TRUE(scan(text, "config/app.yaml", shallow).findings.empty());
  ScanLimits off;
  off.max_decode_depth = 0;
  EXPECT_TRUE(scan("v: " + base64_encode("SENTRY_AUTH_TOKEN=" + token) + "\n", "a.yaml", off).findings.empty());
}

TEST(DeepScan, GarbageBase64IsNoFindingAndNoCrash) {
  std::string random;
  std::uint32_t state = 12345;
  for (int i = 0; i < 300000; ++i) {
    state = state * 1103515245u + 12345u;
    random.push_back(static_cast<char>(state >> 24));
  }
  // Long runs of garbage, a lone character, stray padding, wrapped lines and
  // a run that decodes to a fake gzip header over garbage.
  std::string text = "a: " + base64_encode(random) + "\nb: " + base64_encode(random.substr(0, 61)) + "=\n";
  text += "c: " + std::string(200, 'A') + "B\nd: ====" + std::string(70, '/') + "\n";
  text += "e: " + base64_encode(std::string("\x1f\x8b\x08", 3) + random.substr(0, 500)) + "\n";
  const Scan result = scan(text);
  EXPECT_TRUE(result.findings.empty());
}

TEST(DeepScan, AFileFullOfEscapesIsDecodedInPiecesWithoutLosingOne) {
  // Escaped slashes everywhere (PHP's json_encode): the escape layer works on
  // 1 MiB pieces; credentials near the piece edges are found exactly once.
  std::string org;
  for (int seed = 0; org.find('/') == std::string::npos; ++seed) org = fake_org_token(fmt::format("pieces{}", seed));
  const std::string escaped = json_escape_slashes(org);
  std::string text;
  std::vector<std::size_t> planted;
  while (text.size() < (3u << 20)) {
    const std::size_t next_edge = (planted.size() + 1) * ((1u << 20) - 2048);
    if (text.size() + 400 > next_edge && planted.size() < 2) {
      planted.push_back(text.size());
      text += "{\"token\":\"" + escaped + "\"},\n";
    }
    text += "{\"url\":\"https:\\/\\/example.com\\/a\\/b\\/c\"},\n";
  }
  const Scan result = scan(text, "api/dump.json");
  ASSERT_EQ(result.findings.size(), 2u);
  for (const Finding& f : result.findings) {
    EXPECT_EQ(f.secret, org);
    EXPECT_EQ(f.decoded, std::vector<std::string>{"escape"});
  }
}

TEST(DeepScan, InlineAllowOnTheEncodedLineSuppresses) {
  const std::string encoded = base64_encode("SENTRY_AUTH_TOKEN=" + fake_user_token("allow"));
  const Scan result = scan("k: " + encoded + "  # sentryscan:allow\n");
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_TRUE(result.findings[0].allowed_inline);
}

TEST(DeepScan, Base64OfACompressedFileIsExpanded) {
  // Helm stores releases as base64(gzip(json)) in a Secret.
  const std::string dsn = fake_dsn("helm");
  const std::string gz = testing::compress("{\"config\":{\"SENTRY_DSN\":\"" + dsn + "\"}}", testing::Compression::gzip);
  const Scan result = scan("data:\n  release: " + base64_encode(gz) + "\n", "helm/release.yaml");
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].secret, dsn);
  EXPECT_EQ(result.findings[0].decoded, (std::vector<std::string>{"base64", "gzip"}));
  EXPECT_EQ(result.findings[0].location.line, 2u);
  EXPECT_EQ(result.findings[0].source.path, "helm/release.yaml");
}

// The packed bytes of base64 get the same raw pass as an archive file: text
// after a zip, and a stream that starts like an empty tar.
TEST(DeepScan, Base64OfAnArchiveIsScannedAsItsBytesToo) {
  const std::string token = fake_user_token("after-zip-in-base64");
  const std::string zip = testing::make_zip({{"README", "hi\n"}}) + "k=" + token + "\n";
  const Scan after = scan("payload: " + base64_encode(zip) + "\n", "fixtures/upload.yaml");
  ASSERT_EQ(after.findings.size(), 1u);
  EXPECT_EQ(after.findings[0].secret, token);
  EXPECT_EQ(after.findings[0].decoded, (std::vector<std::string>{"base64", "zip"}));

  const std::string zeros = testing::compress(std::string(512, '\0') + "k=" + token + "\n", testing::Compression::gzip);
  const Scan zero = scan("payload: " + base64_encode(zeros) + "\n", "fixtures/upload.yaml");
  ASSERT_EQ(zero.findings.size(), 1u);
  EXPECT_EQ(zero.findings[0].decoded, (std::vector<std::string>{"base64", "gzip"}));
}

TEST(DeepScan, Base64OfAZipNamesTheEntry) {
  const std::string token = fake_user_token("zip-in-base64");
  const std::string zip = testing::make_zip({{"cfg/.env", "SENTRY_AUTH_TOKEN=" + token + "\n"}});
  const Scan result = scan("payload: \"" + base64_encode(zip) + "\"\n", "fixtures/upload.json");
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].decoded, (std::vector<std::string>{"base64", "zip:cfg/.env"}));
}

TEST(DeepScan, ArchiveEntriesGetTheirOwnPathAndLines) {
  const std::string dsn = fake_dsn("entries");
  const std::string zip = testing::make_zip({{"a.txt", "nothing\n"}, {"src/b.js", "// line 1\nSentry.init({dsn: \"" + dsn + "\"});\n"}});
  const Scan result = scan(zip, "dist/site.zip");
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].source.path, "dist/site.zip!src/b.js");
  EXPECT_EQ(result.findings[0].location.line, 2u);
  EXPECT_EQ(result.findings[0].location.column, 20u);
  EXPECT_TRUE(result.findings[0].decoded.empty());
}

TEST(DeepScan, ArchivesAreBytesWhenExpansionIsOff) {
  const std::string token = fake_user_token("stored");
  const std::string zip = testing::make_zip({{"t.txt", "SENTRY_AUTH_TOKEN=" + token + "\n"}}, /*store=*/true);
  ScanLimits off;
  off.max_archive_depth = 0;
  const Scan result = scan(zip, "stored.zip", off);
  ASSERT_EQ(result.findings.size(), 1u);  // a stored entry is readable in the raw bytes
  EXPECT_EQ(result.findings[0].source.path, "stored.zip");
  EXPECT_TRUE(result.findings[0].binary);
}

}  // namespace
}  // namespace sentryscan
