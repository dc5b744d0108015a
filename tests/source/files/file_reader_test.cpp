// read_regular_file_at: whole contents whatever the size relative to the
// first read, the size limit, and the types that must not be read.
#include "source/files/file_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "support/temp_dir.h"

namespace sentryscan {
namespace {

using testing::TempDir;

std::string pattern(std::size_t size) {
  std::string text(size, '\0');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return text;
}

ReadOutcome read_listed(const std::filesystem::path& path, std::uint64_t max, ReadBuffer& buffer) {
  return read_regular_file_at(AT_FDCWD, path.c_str(), max, false, true, buffer);
}

TEST(FileReader, ReadsWholeFilesAroundTheFirstReadSize) {
  TempDir dir;
  ReadBuffer buffer;  // reused, as a worker does: a smaller file after a larger one
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{4095}, std::size_t{128 * 1024 - 1},
                           std::size_t{128 * 1024}, std::size_t{128 * 1024 + 1}, std::size_t{3u << 20},
                           std::size_t{17}}) {
    const std::string text = pattern(size);
    const auto path = dir.write("f" + std::to_string(size), text);
    for (bool listed : {true, false}) {
      const ReadOutcome outcome = read_regular_file_at(AT_FDCWD, path.c_str(), 64u << 20, false, listed, buffer);
      ASSERT_EQ(outcome.status, ReadStatus::ok) << size << " listed=" << listed;
      EXPECT_EQ(outcome.size, size);
      EXPECT_TRUE(buffer.view() == text) << size << " listed=" << listed;
    }
  }
}

TEST(FileReader, RefusesFilesOverTheLimitWithTheirRealSize) {
  TempDir dir;
  ReadBuffer buffer;
  const auto small = dir.write("small", pattern(1000));
  const auto large = dir.write("large", pattern(300 * 1024));
  for (bool listed : {true, false}) {
    const ReadOutcome over_small = read_regular_file_at(AT_FDCWD, small.c_str(), 999, false, listed, buffer);
    EXPECT_EQ(over_small.status, ReadStatus::too_large);
    const ReadOutcome exact = read_regular_file_at(AT_FDCWD, small.c_str(), 1000, false, listed, buffer);
    EXPECT_EQ(exact.status, ReadStatus::ok);
    const ReadOutcome over_large = read_regular_file_at(AT_FDCWD, large.c_str(), 200 * 1024, false, listed, buffer);
    EXPECT_EQ(over_large.status, ReadStatus::too_large);
    EXPECT_EQ(over_large.size, 300u * 1024) << "the message names the file's size, listed=" << listed;
  }
}

TEST(FileReader, AFifoOrSymlinkSwappedInForAListedFileIsNotRead) {
  TempDir dir;
  ReadBuffer buffer;
  const auto fifo = dir.path() / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // No writer: a blocking open or read would hang the test.
  EXPECT_EQ(read_listed(fifo, 1 << 20, buffer).status, ReadStatus::not_regular);

  const auto target = dir.write("target", "content");
  std::filesystem::create_symlink(target, dir.path() / "link");
  EXPECT_EQ(read_listed(dir.path() / "link", 1 << 20, buffer).status, ReadStatus::not_regular);
  EXPECT_EQ(read_listed(dir.path() / "gone", 1 << 20, buffer).status, ReadStatus::vanished);
}

TEST(FileReader, ReadsAStreamOfUnknownLength) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string text = pattern(40000);  // fits the pipe buffer, written before reading
  ASSERT_EQ(write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fds[1]);
  ReadBuffer buffer;
  const ReadOutcome outcome = read_stream(fds[0], 1 << 20, buffer);
  close(fds[0]);
  ASSERT_EQ(outcome.status, ReadStatus::ok);
  EXPECT_TRUE(buffer.view() == text);
}

TEST(ReadBuffer, GrowingKeepsTheBytesHeld) {
  ReadBuffer buffer;
  buffer.reserve(4);
  std::memcpy(buffer.data(), "abcd", 4);
  buffer.set_size(4);
  buffer.reserve(1 << 20);
  EXPECT_EQ(buffer.view(), "abcd");
  buffer.shrink_if_above(1 << 10);
  EXPECT_EQ(buffer.capacity(), 0u);
  EXPECT_TRUE(buffer.view().empty());
}

}  // namespace
}  // namespace sentryscan
