// Archive expansion on its own: formats recognised by content, entries
// streamed with their names, and every limit stopping a bomb.
#include <gtest/gtest.h>

#include <map>

#include "decode/archive.h"
#include "support/archive.h"

namespace sentryscan::decode {
namespace {

using sentryscan::testing::ArchiveFile;
using sentryscan::testing::Compression;
using sentryscan::testing::compress;
using sentryscan::testing::make_encrypted_zip;
using sentryscan::testing::make_tar;
using sentryscan::testing::make_zip;

struct Expanded {
  ExpandResult result;
  std::map<std::string, std::string> entries;
  std::string whole_stream;  // a compressed tar, decompressed
  ArchiveBudget budget;
};

Expanded expand(const std::string& bytes, const std::string& path = "outer", ArchiveLimits limits = {}) {
  Expanded out;
  out.budget.input = bytes.size();
  out.result = expand_archive(bytes, path, limits, out.budget, [&](const ArchiveEntry& entry) {
    if (entry.whole_stream) {
      out.whole_stream = std::string(entry.data);
      return;
    }
    out.entries[std::string(entry.name)] = std::string(entry.data);
  });
  return out;
}

bool has_problem(const ExpandResult& result, bool incomplete, const std::string& fragment) {
  for (const auto& problem : result.problems)
    if (problem.incomplete == incomplete && problem.message.find(fragment) != std::string::npos) return true;
  return false;
}

const std::vector<ArchiveFile> kFiles{{"app/config.js", "module.exports = {};\n"}, {"README.md", "# hi\n"}};

TEST(Archive, SniffsByContentNotName) {
  EXPECT_EQ(sniff_archive(make_zip(kFiles)), ArchiveKind::zip);
  EXPECT_EQ(sniff_archive(make_tar(kFiles)), ArchiveKind::tar);
  EXPECT_EQ(sniff_archive(make_tar(kFiles, Compression::gzip)), ArchiveKind::gzip);
  EXPECT_EQ(sniff_archive(compress("x", Compression::bzip2)), ArchiveKind::bzip2);
  EXPECT_EQ(sniff_archive(compress("x", Compression::xz)), ArchiveKind::xz);
  EXPECT_EQ(sniff_archive(compress("x", Compression::zstd)), ArchiveKind::zstd);
  EXPECT_EQ(sniff_archive("PK but not a zip"), ArchiveKind::none);
  EXPECT_EQ(sniff_archive("plain text"), ArchiveKind::none);
  EXPECT_EQ(sniff_archive(""), ArchiveKind::none);
}

TEST(Archive, ExpandsEveryFormatWithEntryNames) {
  const std::pair<std::string, std::string> cases[] = {
      {make_zip(kFiles), "zip"},
      {make_zip(kFiles, true), "zip"},
      {make_tar(kFiles), "tar"},
      {make_tar(kFiles, Compression::gzip), "tar.gz"},
      {make_tar(kFiles, Compression::bzip2), "tar.bz2"},
      {make_tar(kFiles, Compression::xz), "tar.xz"},
      {make_tar(kFiles, Compression::zstd), "tar.zst"},
  };
  for (const auto& [bytes, format] : cases) {
    const Expanded out = expand(bytes);
    EXPECT_EQ(out.result.format, format);
    EXPECT_FALSE(out.result.damaged) << format;
    EXPECT_FALSE(out.result.single_stream) << format;
    ASSERT_EQ(out.entries.size(), 2u) << format;
    EXPECT_EQ(out.entries.at("app/config.js"), "module.exports = {};\n") << format;
    // A compressed tar is also handed whole, decompressed, for its raw bytes to be scanned.
    EXPECT_EQ(!out.whole_stream.empty(), format.starts_with("tar.")) << format;
    if (!out.whole_stream.empty()) {
      EXPECT_EQ(sniff_archive(out.whole_stream), ArchiveKind::tar) << format;
    }
  }
}

TEST(Archive, ACompressedFileIsOneEntryNamedAfterIt) {
  for (const auto& [compression, extension] : {std::pair{Compression::gzip, ".gz"}, std::pair{Compression::bzip2, ".bz2"},
                                               std::pair{Compression::xz, ".xz"}, std::pair{Compression::zstd, ".zst"}}) {
    const Expanded out = expand(compress("var a = 1;\n", compression), std::string("dist/app.js") + extension);
    EXPECT_TRUE(out.result.single_stream) << extension;
    ASSERT_EQ(out.entries.size(), 1u) << extension;
    EXPECT_EQ(out.entries.begin()->first, "app.js") << extension;
    EXPECT_EQ(out.entries.begin()->second, "var a = 1;\n") << extension;
  }
  EXPECT_EQ(expand(compress("x", Compression::gzip), "blob").entries.begin()->first, "data");
}

// 512 zero bytes are a tar's end-of-archive block: libarchive's tar reader
// took such a stream for an empty tar. The stream is decompressed first now.
TEST(Archive, AStreamStartingWithZeroBlocksIsOneEntry) {
  const std::string content = std::string(1024, '\0') + "text after zero blocks\n";
  for (Compression compression : {Compression::gzip, Compression::bzip2, Compression::xz, Compression::zstd}) {
    const Expanded out = expand(compress(content, compression), "dump.bin.gz");
    EXPECT_TRUE(out.result.single_stream);
    ASSERT_EQ(out.entries.size(), 1u);
    EXPECT_EQ(out.entries.begin()->second, content);
  }
}

TEST(Archive, ConcatenatedTarsAreReadThrough) {
  const std::string tars = make_tar(kFiles) + make_tar({{"second/.env", "A=1\n"}});
  for (const std::string& bytes : {tars, compress(tars, Compression::gzip)}) {
    const Expanded out = expand(bytes);
    EXPECT_EQ(out.entries.size(), 3u);
    EXPECT_EQ(out.entries.count("second/.env"), 1u);
  }
}

// Where each entry's data lies in the archive, for the raw pass to recognise it.
TEST(Archive, StoredEntriesKnowWhereTheirBytesAre) {
  for (const std::string& bytes : {make_tar(kFiles), make_zip(kFiles, true)}) {
    ArchiveBudget budget;
    budget.input = bytes.size();
    std::size_t seen = 0;
    expand_archive(bytes, "outer", {}, budget, [&](const ArchiveEntry& entry) {
      ++seen;
      ASSERT_LT(entry.raw_begin, entry.raw_end);
      EXPECT_EQ(bytes.substr(entry.raw_begin, entry.data.size()), entry.data);
    });
    EXPECT_EQ(seen, 2u);
  }
}

TEST(Archive, ACompressedTarTooLargeToHoldIsStreamedAndSaidIncomplete) {
  ArchiveLimits limits;
  limits.max_entry_size = 64 << 10;
  const std::vector<ArchiveFile> files = {{"a.txt", std::string(40 << 10, 'a')}, {"b.txt", std::string(40 << 10, 'b')}};
  const Expanded out = expand(make_tar(files, Compression::gzip), "big.tgz", limits);
  EXPECT_EQ(out.entries.size(), 2u);  // each file fits, the whole tar does not
  EXPECT_TRUE(out.whole_stream.empty());
  EXPECT_TRUE(has_problem(out.result, true, "only the files of its tar archive were scanned"));
}

TEST(Archive, TooManyEntriesStopsExpansion) {
  std::vector<ArchiveFile> files;
  for (int i = 0; i < 20; ++i) files.push_back({"f" + std::to_string(i), "x"});
  ArchiveLimits limits;
  limits.max_entries = 5;
  const Expanded out = expand(make_zip(files), "many.zip", limits);
  EXPECT_EQ(out.entries.size(), 5u);
  EXPECT_TRUE(out.budget.exhausted);
  EXPECT_TRUE(has_problem(out.result, true, "archive expansion stopped at limit: more than 5 entries"));
}

TEST(Archive, TotalExpandedSizeStopsExpansion) {
  std::vector<ArchiveFile> files;
  for (int i = 0; i < 8; ++i) files.push_back({"part" + std::to_string(i), std::string(300 << 10, 'a' + i)});
  ArchiveLimits limits;
  limits.max_total = 1 << 20;
  limits.max_ratio = 1 << 30;  // the size limit, not the ratio, is under test
  const Expanded out = expand(make_tar(files, Compression::gzip), "big.tgz", limits);
  EXPECT_EQ(out.entries.size(), 3u);  // 900 KiB fit, the fourth entry crosses 1 MiB
  EXPECT_TRUE(has_problem(out.result, true, "more than 1 MiB expanded from one file (--max-archive-size)"));
}

TEST(Archive, CompressionRatioStopsABomb) {
  ArchiveLimits limits;
  limits.ratio_floor = 1 << 20;
  const std::string bomb = make_zip({{"first.txt", "hello"}, {"zeros.bin", std::string(8 << 20, '\0')}});
  ASSERT_LT(bomb.size(), 64u << 10);
  const Expanded out = expand(bomb, "bomb.zip", limits);
  EXPECT_EQ(out.entries.count("first.txt"), 1u);
  EXPECT_EQ(out.entries.count("zeros.bin"), 0u);
  EXPECT_LT(out.budget.expanded, 2u << 20);
  EXPECT_TRUE(has_problem(out.result, true, "times its size (a zip bomb?)"));
}

TEST(Archive, OversizedEntryIsSkippedAndReported) {
  ArchiveLimits limits;
  limits.max_entry_size = 1000;
  const Expanded out = expand(make_zip({{"big.txt", std::string(5000, 'x')}, {"small.txt", "ok"}}), "a.zip", limits);
  EXPECT_EQ(out.entries.size(), 1u);
  EXPECT_EQ(out.entries.count("small.txt"), 1u);
  ASSERT_EQ(out.result.problems.size(), 1u);
  EXPECT_TRUE(out.result.problems[0].incomplete);
  EXPECT_EQ(out.result.problems[0].entry, "big.txt");
  EXPECT_NE(out.result.problems[0].message.find("larger than --max-file-size (1000 bytes)"), std::string::npos);
}

TEST(Archive, EncryptedEntriesAreAWarning) {
  const Expanded out = expand(make_encrypted_zip({{"secret.txt", "hidden"}}, "pass"), "locked.zip");
  EXPECT_TRUE(out.entries.empty());
  EXPECT_TRUE(has_problem(out.result, false, "encrypted archive entry: not scanned"));
}

TEST(Archive, TruncatedArchiveKeepsWhatCameBefore) {
  std::vector<ArchiveFile> files{{"one.txt", std::string(4000, '1')}, {"two.txt", std::string(4000, '2')}};
  const std::string tar = make_tar(files);
  const Expanded out = expand(tar.substr(0, 5000), "cut.tar");
  EXPECT_TRUE(out.result.damaged);
  EXPECT_EQ(out.entries.count("one.txt"), 1u);
  EXPECT_EQ(out.entries.count("two.txt"), 0u);
  const Expanded garbage = expand(std::string("PK\x03\x04", 4) + std::string(100, '\x7f'), "fake.zip");
  EXPECT_TRUE(garbage.result.damaged);
  EXPECT_TRUE(garbage.entries.empty());
  // A gzip signature over something else is not handed back as its own content.
  const Expanded fake_gzip = expand(std::string("\x1f\x8b\x08\0\0\0\0\0", 8) + "not deflate data", "fake.gz");
  EXPECT_TRUE(fake_gzip.result.damaged);
  EXPECT_TRUE(fake_gzip.entries.empty());
}

TEST(Archive, SuffixOfAFindingInsideAnArchive) {
  EXPECT_EQ(archive_suffix("dist/app.zip!a/b.js", "dist/app.zip"), "!a/b.js");
  EXPECT_EQ(archive_suffix("dist/app.zip", "dist/app.zip"), "");
  EXPECT_EQ(archive_suffix("other!x", "dist/app.zip"), "");
}

}  // namespace
}  // namespace sentryscan::decode
