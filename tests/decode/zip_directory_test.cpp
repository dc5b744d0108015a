// Names and comments read from a zip's central directory: every one found
// and located, and no length or offset trusted past the end of the bytes.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/archive.h"
#include "decode/zip_directory.h"

namespace sentryscan::decode {
namespace {

using sentryscan::testing::make_zip;

std::vector<std::string> texts(const std::vector<TextField>& fields) {
  std::vector<std::string> out;
  for (const TextField& field : fields) out.push_back(field.text);
  std::sort(out.begin(), out.end());
  return out;
}

// The same zip with an archive comment, written after its 22-byte EOCD record.
std::string with_comment(std::string zip, const std::string& comment) {
  const std::size_t end = zip.size() - 22;
  zip[end + 20] = static_cast<char>(comment.size() & 0xFF);
  zip[end + 21] = static_cast<char>(comment.size() >> 8);
  return zip + comment;
}

TEST(ZipDirectory, NamesInBothHeadersAndTheArchiveComment) {
  const std::string zip = with_comment(make_zip({{"a.txt", "1"}, {"dir/b.txt", "2"}}), "release 1.0");
  const std::vector<TextField> fields = zip_text_fields(zip, 100);
  EXPECT_EQ(texts(fields), (std::vector<std::string>{"a.txt", "a.txt", "dir/b.txt", "dir/b.txt", "release 1.0"}));
  for (const TextField& field : fields) EXPECT_EQ(zip.substr(field.begin, field.end - field.begin), field.text);
}

TEST(ZipDirectory, TextAppendedAfterTheZipDoesNotHideTheDirectory) {
  const std::string zip = make_zip({{"a.txt", "1"}}) + "trailing text\n";
  EXPECT_EQ(texts(zip_text_fields(zip, 100)), (std::vector<std::string>{"a.txt", "a.txt"}));
}

TEST(ZipDirectory, EveryTruncationStaysInBounds) {
  const std::string zip = with_comment(make_zip({{"a.txt", "1"}, {"b.txt", "2"}}), "comment");
  for (std::size_t size = 0; size <= zip.size(); ++size) {
    const std::string cut = zip.substr(0, size);
    for (const TextField& field : zip_text_fields(cut, 100)) {
      ASSERT_LE(field.end, cut.size());
      ASSERT_EQ(cut.substr(field.begin, field.end - field.begin), field.text);
    }
  }
}

TEST(ZipDirectory, LyingLengthsAndOffsetsStayInBounds) {
  const std::string zip = make_zip({{"a.txt", "1"}});
  const std::size_t end = zip.size() - 22;
  const std::size_t directory = static_cast<unsigned char>(zip[end + 16]) | static_cast<unsigned char>(zip[end + 17]) << 8;
  // Every byte of the directory and the EOCD record set to 0xFF in turn: lengths, offsets, counts.
  for (std::size_t at = directory; at < zip.size(); ++at) {
    std::string bad = zip;
    bad[at] = '\xFF';
    for (const TextField& field : zip_text_fields(bad, 100)) {
      ASSERT_LE(field.end, bad.size()) << at;
      ASSERT_EQ(bad.substr(field.begin, field.end - field.begin), field.text) << at;
    }
  }
}

// The record is found wherever a comment (up to its 65,535-byte maximum)
// puts it in the tail, behind a stub, and text full of `P` hides nothing.
TEST(ZipDirectory, ZipAtEndFindsTheRecordAnywhereInTheTail) {
  const std::string stub = "#!/bin/sh\nexec unzip \"$0\"\n" + std::string(70000, 'P');
  for (const std::size_t comment : {0u, 1u, 3u, 4u, 1000u, 65534u, 65535u}) {
    const std::string zip = with_comment(make_zip({{"a.txt", "PK"}}), std::string(comment, 'P'));
    const std::string bytes = stub + zip;
    const auto extent = zip_at_end(bytes);
    ASSERT_TRUE(extent.has_value()) << comment;
    EXPECT_EQ(extent->begin, stub.size()) << comment;
    EXPECT_EQ(extent->end, bytes.size()) << comment;
  }
  EXPECT_FALSE(zip_at_end(std::string(100000, 'P')).has_value());
  EXPECT_FALSE(zip_at_end(std::string("PK\x05\x06", 4) + std::string(17, '\0')).has_value());
}

TEST(ZipDirectory, EntriesAreBounded) {
  std::vector<sentryscan::testing::ArchiveFile> files;
  for (int i = 0; i < 10; ++i) files.push_back({"f" + std::to_string(i), "x"});
  EXPECT_EQ(zip_text_fields(make_zip(files), 3).size(), 6u);  // 3 entries, two names each
  EXPECT_TRUE(zip_text_fields("not a zip", 100).empty());
}

}  // namespace
}  // namespace sentryscan::decode
