// Pairs of layers that hid a credential completely (exit 0), found by
// e2e/gate_layers_property_test.cpp; each test here failed that way before
// its fix:
// - base64 right after an escape (`%3D`, `\u003d`): in the file as written
//   the run starts inside the escape and decodes to garbage; in the decoded
//   window it was skipped as "the parent's run" because its own characters
//   hold no escape;
// - a zip in base64 whose entry name or entry comment holds the token: the
//   archive's bytes were scanned, not its names and comments as text;
// - a compressed stream whose content starts with a stream of the same kind,
//   with text after it: libarchive stacked a second decompressor on the
//   content and the text after the inner stream was lost;
// - a zip behind a stub (self-extracting), an archive after another one or
//   after 512 zero bytes in a stream, base64 of a plain tar or of UTF-16,
//   percent-encoded zips: signatures were read at the start of the bytes only;
// - an xz or zstd stream followed by other bytes (put in front of a zip or a
//   tar): libarchive's readers failed on what follows the stream;
// - base64 of a shell stub and a zip, or of text and a tar: the decoded
//   bytes were dropped as neither text nor an archive at their start;
// - a percent-encoded gzip stream holding no escape of a credential
//   character: no window was decoded around it.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "core/base64.h"
#include "support/archive.h"
#include "support/fake_tokens.h"
#include "support/git_cli.h"
#include "support/scan_cli.h"
#include "support/temp_dir.h"
#include "support/zip_edit.h"

namespace sentryscan::testing {
namespace {

// `sentryscan scan --format json .` over one file: its findings of `token`, and the exit status.
JsonScan scan_one(const std::string& name, const std::string& bytes) {
  TempDir dir;
  dir.write(name, bytes);
  CliOptions options;
  options.cwd = dir.path();
  return scan_json({"."}, options);
}

void expect_one(const JsonScan& scan, const std::string& token, const std::string& path,
                const nlohmann::json& decoded) {
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, token);
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["location"]["path"], path);
  EXPECT_EQ(found[0]["decoded"], decoded);
}

TEST(LayerPairBypassCli, PercentEncodedBase64AfterAnEscapedEquals) {
  const std::string token = fake_user_token("percent-base64");
  std::string url = "https://example.com/cb?state=data%3D";
  const std::string encoded = base64_encode("k=" + token);
  ASSERT_EQ(encoded.find_first_of("+/"), std::string::npos) << "the run should hold no escape of its own";
  url += encoded.substr(0, encoded.find('=')) + "%3D%3D\n";
  expect_one(scan_one("callback.txt", url), token, "callback.txt", nlohmann::json::array({"percent", "base64"}));
}

TEST(LayerPairBypassCli, JsonEscapedBase64AfterAnEscapedEquals) {
  const std::string token = fake_user_token("escape-base64");
  const std::string encoded = base64_encode("k=" + token);
  const std::string json = "{\"env\": \"AUTH\\u003d" + encoded.substr(0, encoded.find('=')) + "\"}\n";
  expect_one(scan_one("env.json", json), token, "env.json", nlohmann::json::array({"escape", "base64"}));
}

TEST(LayerPairBypassCli, Base64ZipWithTheTokenInAnEntryName) {
  const std::string token = fake_user_token("b64-zip-name");
  for (bool store : {false, true}) {
    SCOPED_TRACE(store ? "stored" : "deflated");
    const std::string zip = make_zip({{"conf/k=" + token, "harmless\n"}}, store);
    const JsonScan scan = scan_one("bundle.yaml", "bundle: " + base64_encode(zip) + "\n");
    expect_one(scan, token, "bundle.yaml", nlohmann::json::array({"base64", "zip"}));
    EXPECT_EQ(scan.process.out.find(token), std::string::npos) << "secret leaked";
  }
}

TEST(LayerPairBypassCli, Base64ZipWithTheTokenInAnEntryComment) {
  const std::string token = fake_user_token("b64-zip-comment");
  const std::string zip = with_zip_entry_comment(make_zip({{"app.js", "console.log(1)\n"}}), "k=" + token);
  expect_one(scan_one("bundle.yaml", "bundle: " + base64_encode(zip) + "\n"), token, "bundle.yaml",
             nlohmann::json::array({"base64", "zip"}));
}

TEST(LayerPairBypassCli, TextAfterAStreamInsideAStreamOfTheSameKind) {
  const std::vector<std::pair<Compression, std::string>> kinds = {
      {Compression::gzip, "gz"}, {Compression::bzip2, "bz2"}, {Compression::xz, "xz"}, {Compression::zstd, "zst"}};
  for (const auto& [compression, extension] : kinds) {
    SCOPED_TRACE(extension);
    const std::string token = fake_user_token("stream-in-stream-" + extension);
    // What `gunzip -c x.gz` prints: a gzip stream, then the token.
    const std::string content = compress("harmless\n", compression) + "k=" + token + "\n";
    const JsonScan scan = scan_one("x." + extension, compress(content, compression));
    EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
    const auto found = findings_of(scan.findings, token);
    ASSERT_EQ(found.size(), 1u) << scan.process.out;
    EXPECT_EQ(found[0]["location"]["path"], "x." + extension + "!x");
  }
}

// Only these paths of `scan` hold `token`, and the scan fails.
void expect_found(const JsonScan& scan, const std::string& token, const std::string& path) {
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, token);
  ASSERT_FALSE(found.empty()) << scan.process.out;
  for (const auto& finding : found) EXPECT_EQ(finding["location"]["path"], path) << scan.process.out;
}

std::string utf16le(std::string_view text) {
  std::string out = "\xFF\xFE";
  for (char c : text) out += {c, '\0'};
  return out;
}

TEST(LayerPairBypassCli, SelfExtractingZipWithADeflatedEntry) {
  const std::string token = fake_user_token("sfx-zip");
  const std::string sfx = "#!/bin/sh\nexec unzip \"$0\"\n" + make_zip({{"conf/payload", "k=" + token + "\n"}});
  expect_found(scan_one("setup.sh", sfx), token, "setup.sh!conf/payload");
}

TEST(LayerPairBypassCli, GzipStreamAppendedAfterAZip) {
  const std::string token = fake_user_token("zip-then-gzip");
  const std::string bytes = make_zip({{"README.md", "# release\n"}}) + compress("k=" + token + "\n", Compression::gzip);
  expect_found(scan_one("bundle.bin", bytes), token, "bundle.bin!data");
}

TEST(LayerPairBypassCli, ZipAfter512ZeroBytesInAGzipStream) {
  const std::string token = fake_user_token("zeros-zip");
  const std::string zip = make_zip({{"conf/payload", "k=" + token + "\n"}});
  expect_found(scan_one("image.gz", compress(std::string(512, '\0') + zip, Compression::gzip)), token,
               "image.gz!image!conf/payload");
}

TEST(LayerPairBypassCli, Base64OfAPlainTar) {
  const std::string token = fake_user_token("b64-tar");
  const std::string tar = make_tar({{"README.md", "# release\n"}, {"conf/payload", "k=" + token + "\n"}});
  const JsonScan scan = scan_one("chart.yaml", "release: " + base64_encode(tar) + "\n");
  expect_one(scan, token, "chart.yaml", nlohmann::json::array({"base64", "tar:conf/payload"}));
}

TEST(LayerPairBypassCli, Base64OfUtf16Text) {
  const std::string token = fake_user_token("b64-utf16");
  const std::string command = "powershell -EncodedCommand " + base64_encode(utf16le("$env:K='" + token + "'")) + "\n";
  expect_one(scan_one("run.ps1", command), token, "run.ps1", nlohmann::json::array({"base64", "utf-16"}));
}

TEST(LayerPairBypassCli, PercentEncodedZip) {
  const std::string token = fake_user_token("percent-zip");
  std::string url = "https://example.com/upload?file=";
  for (unsigned char c : make_zip({{"conf/payload", "k=" + token + "\n"}}))
    url += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  const JsonScan scan = scan_one("request.log", url + "\n");
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  ASSERT_FALSE(findings_of(scan.findings, token).empty()) << scan.process.out;
}

TEST(LayerPairBypassCli, XzOrZstdStreamInFrontOfAnArchive) {
  for (const auto& [compression, label] : {std::pair{Compression::xz, "xz"}, std::pair{Compression::zstd, "zstd"}}) {
    SCOPED_TRACE(label);
    const std::string token = fake_user_token(std::string("stream-before-archive-") + label);
    const std::string stream = compress("k=" + token + "\n", compression);
    expect_found(scan_one("bundle.bin", stream + "\n" + make_zip({{"README.md", "# release\n"}})), token,
                 "bundle.bin!data");
    expect_found(scan_one("bundle.bin", stream + "\n" + make_tar({{"README.md", "# release\n"}})), token,
                 "bundle.bin!data");
  }
}

TEST(LayerPairBypassCli, Base64OfAShellStubAndAZip) {
  const std::string token = fake_user_token("b64-sfx");
  const std::string sfx = "#!/bin/sh\nexec unzip \"$0\"\n" + make_zip({{"conf/payload", "k=" + token + "\n"}});
  expect_one(scan_one("installer.yaml", "payload: " + base64_encode(sfx) + "\n"), token, "installer.yaml",
             nlohmann::json::array({"base64", "zip:conf/payload"}));
}

TEST(LayerPairBypassCli, Base64OfTextThenATar) {
  const std::string token = fake_user_token("b64-text-tar");
  const std::string bytes = "k=" + token + "\n" + make_tar({{"README.md", "# release\n"}});
  expect_one(scan_one("chart.yaml", "release: " + base64_encode(bytes) + "\n"), token, "chart.yaml",
             nlohmann::json::array({"base64", "tar"}));
}

TEST(LayerPairBypassCli, PercentEncodedGzipWithoutCredentialEscapes) {
  // A gzip stream none of whose bytes is an escaped credential character
  // (`/ : @ + = _ %`): about 1 in 15 streams of this size.
  std::string token, stream;
  for (int seed = 0; seed < 1000 && stream.empty(); ++seed) {
    token = fake_user_token(fmt::format("percent-gzip-{}", seed));
    std::string candidate = compress(std::string(512, '\0') + "k=" + token + "\n", Compression::gzip);
    if (candidate.find_first_of("/:@+=_%") == std::string::npos) stream = std::move(candidate);
  }
  ASSERT_FALSE(stream.empty());
  std::string url = "https://example.com/upload?file=";
  for (unsigned char c : stream) url += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  const JsonScan scan = scan_one("request.log", url + "\n");
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  ASSERT_FALSE(findings_of(scan.findings, token).empty()) << scan.process.out;
}

}  // namespace
}  // namespace sentryscan::testing
