// Where an xz or zstd stream ends when other bytes follow it: libarchive's
// readers fail on those bytes, so decode/archive.cpp cuts the stream there.
#include <gtest/gtest.h>

#include <string>

#include "decode/stream_end.h"
#include "support/archive.h"

namespace sentryscan::decode {
namespace {

using sentryscan::testing::Compression;
using sentryscan::testing::compress;

// A few KiB that compress to several blocks' worth of varied bytes.
std::string sample(char seed) {
  std::string out;
  for (int i = 0; i < 4000; ++i) out.push_back(static_cast<char>((i * 131 + seed * 7 + i / 13) % 251));
  return out;
}

TEST(StreamEnd, XzStreamEndsAtItsFooterWhateverFollows) {
  const std::string stream = compress(sample('a'), Compression::xz);
  EXPECT_EQ(xz_stream_end(stream), stream.size());
  EXPECT_EQ(xz_stream_end(stream + "\nPK\x03\x04 trailing bytes"), stream.size());
  // Stream padding (null bytes in fours) and a concatenated stream, as `xz -d` reads them.
  const std::string padded = stream + std::string(8, '\0');
  EXPECT_EQ(xz_stream_end(padded + "tail"), padded.size());
  const std::string two = stream + compress(sample('b'), Compression::xz);
  EXPECT_EQ(xz_stream_end(two + "tail"), two.size());
  // Cut before its footer: no end.
  EXPECT_EQ(xz_stream_end(stream.substr(0, stream.size() - 5)), std::nullopt);
  EXPECT_EQ(xz_stream_end("not xz at all"), std::nullopt);
}

TEST(StreamEnd, ZstdFramesEndAfterTheirLastBlock) {
  const std::string frame = compress(sample('c'), Compression::zstd);
  EXPECT_EQ(zstd_stream_end(frame), frame.size());
  EXPECT_EQ(zstd_stream_end(frame + "\n"), frame.size());
  const std::string two = frame + compress("k=harmless\n", Compression::zstd);
  EXPECT_EQ(zstd_stream_end(two + "\nPK\x03\x04"), two.size());
  EXPECT_EQ(zstd_stream_end(frame.substr(0, frame.size() - 1)), std::nullopt);
  EXPECT_EQ(zstd_stream_end("\x28\xB5\x2F\xFD"), std::nullopt);
}

}  // namespace
}  // namespace sentryscan::decode
