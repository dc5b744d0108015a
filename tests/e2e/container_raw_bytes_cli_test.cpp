// "Container raw bytes": an archive or compressed stream is scanned as the
// bytes it is, and expanding it only adds content. Text after the end of a
// tar or zip, a second tar concatenated to the first, zip comments, entry
// names, and a compressed stream that merely looks like an empty tar were
// all invisible while only the expanded entries were scanned (exit 0). Each
// test here failed that way; now each is one finding, located in the
// container's bytes (`x.tar`) or in the entry (`x.tar!a.env`), never both.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <stdexcept>

#include "support/zip_edit.h"
#include "support/git_cli.h"
#include "support/scan_cli.h"
#include "support/archive.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

std::string secret_line(const std::string& token) { return "k=" + token + "\n"; }

struct Found {
  JsonScan scan;
  std::vector<nlohmann::json> of_secret;
};

// `sentryscan scan --format json .` in a directory holding `name` = `bytes`.
Found scan_file(const std::string& name, const std::string& bytes, const std::string& token) {
  TempDir dir;
  dir.write(name, bytes);
  CliOptions options;
  options.cwd = dir.path();
  Found found{scan_json({"."}, options), {}};
  found.of_secret = findings_of(found.scan.findings, token);
  return found;
}

// `count` findings of the secret, all at `path`, and a gate that fails (exit 1).
void expect_at(const Found& found, const std::string& path, std::size_t count) {
  EXPECT_EQ(found.scan.process.exit_code, 1) << found.scan.process.err;
  ASSERT_EQ(found.of_secret.size(), count) << found.scan.process.out;
  for (const auto& finding : found.of_secret) EXPECT_EQ(finding["location"]["path"], path);
}

void expect_one_at(const Found& found, const std::string& path) { expect_at(found, path, 1); }

const std::vector<ArchiveFile> kHarmless = {{"README.md", "# release\n"}, {"app.js", "console.log(1)\n"}};

TEST(ContainerRawBytesCli, TextAppendedAfterATar) {
  const std::string token = fake_user_token("after-tar");
  const Found found = scan_file("x.tar", make_tar(kHarmless) + secret_line(token), token);
  ASSERT_NO_FATAL_FAILURE(expect_one_at(found, "x.tar"));
  EXPECT_TRUE(found.of_secret[0]["binary"]) << "a tar is binary: its line numbers count newlines in the raw bytes";
}

TEST(ContainerRawBytesCli, TextAppendedAfterAZip) {
  const std::string token = fake_user_token("after-zip");
  expect_one_at(scan_file("x.zip", make_zip(kHarmless) + secret_line(token), token), "x.zip");
}

TEST(ContainerRawBytesCli, ConcatenatedTars) {
  const std::string token = fake_user_token("second-tar");
  const std::string tars = make_tar(kHarmless) + make_tar({{"conf/.env", secret_line(token)}});
  // `tar --concatenate` leaves the first end-of-archive blocks in place:
  // the second archive's files are read as entries all the same.
  expect_one_at(scan_file("x.tar", tars, token), "x.tar!conf/.env");
}

TEST(ContainerRawBytesCli, ConcatenatedTarsGzipped) {
  const std::string token = fake_user_token("second-tar-gz");
  const std::string tars = make_tar(kHarmless) + make_tar({{"conf/.env", secret_line(token)}});
  // One gzip stream around both tars, and two .tar.gz files concatenated (two gzip members).
  expect_one_at(scan_file("x.tar.gz", compress(tars, Compression::gzip), token), "x.tar.gz!conf/.env");
  const std::string members =
      make_tar(kHarmless, Compression::gzip) + make_tar({{"conf/.env", secret_line(token)}}, Compression::gzip);
  expect_one_at(scan_file("x.tar.gz", members, token), "x.tar.gz!conf/.env");
}

TEST(ContainerRawBytesCli, TextAppendedInsideAGzippedTar) {
  const std::string token = fake_user_token("after-tar-in-gz");
  // `gunzip` shows the text after the tar: it is in the decompressed tar, named like the stream.
  expect_one_at(scan_file("x.tar.gz", compress(make_tar(kHarmless) + secret_line(token), Compression::gzip), token),
                "x.tar.gz!x.tar");
}

TEST(ContainerRawBytesCli, ZipArchiveComment) {
  const std::string token = fake_user_token("zip-comment");
  expect_one_at(scan_file("x.zip", with_zip_archive_comment(make_zip(kHarmless), secret_line(token)), token), "x.zip");
}

TEST(ContainerRawBytesCli, ZipEntryComment) {
  const std::string token = fake_user_token("zip-entry-comment");
  const std::string zip = with_zip_entry_comment(make_zip({{"app.js", "console.log(1)\n"}}), secret_line(token));
  expect_one_at(scan_file("x.zip", zip, token), "x.zip");
}

TEST(ContainerRawBytesCli, TarMemberName) {
  const std::string token = fake_user_token("tar-name");
  const Found found = scan_file("x.tar", make_tar({{"k=" + token, "harmless\n"}}), token);
  // Located in the container, never in a path that would print the secret.
  expect_one_at(found, "x.tar");
  EXPECT_EQ(found.scan.process.out.find(token), std::string::npos) << "secret leaked";
}

// A 100-character name fills its header field with no NUL after it: in the
// raw bytes the token runs into the octal mode field, so the name is also
// scanned as text.
TEST(ContainerRawBytesCli, TarMemberNameFillingItsField) {
  const std::string token = fake_user_token("tar-name-100");
  const std::string name = std::string(26, 'x') + "/k=" + token;
  ASSERT_EQ(name.size(), 100u);
  const std::string tar = make_tar({{name, "harmless\n"}});
  ASSERT_EQ(tar.compare(0, 100, name), 0) << "the name should fill the ustar name field";
  expect_one_at(scan_file("x.tar", tar, token), "x.tar");
}

TEST(ContainerRawBytesCli, ZipEntryName) {
  const std::string token = fake_user_token("zip-name");
  for (bool store : {false, true}) {
    SCOPED_TRACE(store ? "stored" : "deflated");
    const Found found = scan_file("x.zip", make_zip({{"k=" + token, "harmless\n"}}, store), token);
    // A zip writes each name twice: in the entry's local header and in the central directory.
    expect_at(found, "x.zip", 2);
    EXPECT_EQ(found.scan.process.out.find(token), std::string::npos) << "secret leaked";
  }
}

TEST(ContainerRawBytesCli, CompressedStreamStartingWith512ZeroBytes) {
  const std::string token = fake_user_token("zero-prefix");
  // 512 zero bytes are a tar's end-of-archive block: the stream was taken
  // for an empty tar and nothing in it was scanned (100 zero bytes were found).
  const std::string content = std::string(512, '\0') + secret_line(token);
  const std::vector<std::pair<Compression, std::string>> kinds = {
      {Compression::gzip, "gz"}, {Compression::bzip2, "bz2"}, {Compression::xz, "xz"}, {Compression::zstd, "zst"}};
  for (const auto& [compression, extension] : kinds) {
    SCOPED_TRACE(extension);
    expect_one_at(scan_file("data." + extension, compress(content, compression), token), "data." + extension + "!data");
  }
}

// Dedupe: a stored entry's bytes are in the container as they are, so the raw
// pass and the expanded entry both match them: one finding, in the entry.
TEST(ContainerRawBytesCli, StoredEntryIsReportedOnceInTheEntry) {
  const std::string token = fake_user_token("stored-once");
  expect_one_at(scan_file("x.tar", make_tar({{"conf/.env", secret_line(token)}}), token), "x.tar!conf/.env");
  expect_one_at(scan_file("x.zip", make_zip({{"conf/.env", secret_line(token)}}, true), token), "x.zip!conf/.env");
  expect_one_at(scan_file("x.tar.gz", make_tar({{"conf/.env", secret_line(token)}}, Compression::gzip), token),
                "x.tar.gz!conf/.env");
}

// ... but the same secret twice, in an entry and after the archive, is two findings.
TEST(ContainerRawBytesCli, SameSecretInAnEntryAndAfterTheArchiveIsTwoFindings) {
  const std::string token = fake_user_token("twice");
  for (const std::string& name : {std::string("x.tar"), std::string("x.zip")}) {
    SCOPED_TRACE(name);
    const std::vector<ArchiveFile> files = {{"conf/.env", secret_line(token)}};
    const std::string archive = name == "x.tar" ? make_tar(files) : make_zip(files, true);
    const Found found = scan_file(name, archive + secret_line(token), token);
    EXPECT_EQ(found.scan.process.exit_code, 1);
    ASSERT_EQ(found.of_secret.size(), 2u) << found.scan.process.out;
    std::set<std::string> paths;
    for (const auto& f : found.of_secret) paths.insert(f["location"]["path"]);
    EXPECT_EQ(paths, (std::set<std::string>{name, name + "!conf/.env"}));
  }
}

// The same raw pass serves every git source: one representative case each.
TEST(ContainerRawBytesCli, GitAuditFindsTextAppendedAfterATar) {
  GitRepo repo;
  const std::string token = fake_user_token("audit-after-tar");
  repo.write("dist/x.tar", make_tar(kHarmless) + secret_line(token));
  const std::string added = repo.commit("add a release");
  repo.remove("dist/x.tar");
  repo.commit("remove it");
  const GitScan scan = git_scan({"git", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, token);
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["location"]["path"], "dist/x.tar");
  EXPECT_EQ(found[0]["source"]["commit"], added);
}

TEST(ContainerRawBytesCli, GitRangeFindsAZipComment) {
  GitRepo repo;
  const std::string token = fake_user_token("range-zip-comment");
  repo.write("dist/x.zip", make_zip(kHarmless));
  const std::string base = repo.commit("first release");
  repo.write("dist/x.zip", with_zip_archive_comment(make_zip(kHarmless), secret_line(token)));
  repo.commit("second release");
  const GitScan scan = git_scan({"git", "--range", base + "..HEAD", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, token);
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["location"]["path"], "dist/x.zip");
}

TEST(ContainerRawBytesCli, StagedFindsAGzipStreamStartingWithZeroBytes) {
  GitRepo repo;
  repo.commit_file("README.md", "# project\n", "init");
  const std::string token = fake_user_token("staged-zero-prefix");
  repo.write("dump.gz", compress(std::string(512, '\0') + secret_line(token), Compression::gzip));
  repo.git({"add", "dump.gz"});
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  const auto found = findings_of(scan.findings, token);
  ASSERT_EQ(found.size(), 1u) << scan.process.out;
  EXPECT_EQ(found[0]["location"]["path"], "dump.gz!dump");
}

TEST(ContainerRawBytesCli, StagedFindsATarMemberName) {
  GitRepo repo;
  repo.commit_file("README.md", "# project\n", "init");
  const std::string token = fake_user_token("staged-tar-name");
  repo.write("x.tar", make_tar({{"k=" + token, "harmless\n"}}));
  repo.git({"add", "x.tar"});
  const GitScan scan = git_scan({"staged", repo.path().string()});
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  ASSERT_EQ(findings_of(scan.findings, token).size(), 1u) << scan.process.out;
}

}  // namespace
}  // namespace sentryscan::testing
