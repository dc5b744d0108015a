// DirectoryReader: every entry of a directory whose listing takes several
// getdents64 calls, with its type; a bad descriptor lists nothing.
#include "source/files/directory_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "support/temp_dir.h"

namespace sentryscan {
namespace {

using testing::TempDir;

TEST(DirectoryReader, ListsEveryEntryAcrossManyReads) {
  TempDir dir;
  std::map<std::string, unsigned char> expected{{".", DT_DIR}, {"..", DT_DIR}};
  // 2,000 names of ~100 bytes: about 240 KiB of records, eight 32 KiB reads.
  for (int i = 0; i < 2000; ++i) {
    const std::string name = std::string(90, 'n') + std::to_string(i);
    dir.write(name, "x");
    expected[name] = DT_REG;
  }
  std::filesystem::create_directory(dir.path() / "sub");
  expected["sub"] = DT_DIR;
  std::map<std::string, unsigned char> seen;
  DirectoryReader reader(open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_GE(reader.fd(), 0);
  while (const DirectoryEntry* entry = reader.next()) {
    EXPECT_TRUE(seen.emplace(entry->name, entry->type).second) << "listed twice: " << entry->name;
  }
  EXPECT_FALSE(reader.failed());
  EXPECT_EQ(reader.next(), nullptr);  // stays at the end
  // ext4, tmpfs and btrfs give types; a file system that does not says DT_UNKNOWN.
  for (auto& [name, type] : seen)
    if (type == DT_UNKNOWN && expected.count(name)) type = expected[name];
  EXPECT_EQ(seen, expected);
}

TEST(DirectoryReader, NoDescriptorListsNothing) {
  DirectoryReader reader(-1);
  EXPECT_EQ(reader.next(), nullptr);
  EXPECT_FALSE(reader.failed());
}

TEST(DirectoryReader, AFileIsAnErrorNotAnEmptyListing) {
  TempDir dir;
  const auto file = dir.write("plain", "text");
  DirectoryReader reader(open(file.c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_GE(reader.fd(), 0);
  EXPECT_EQ(reader.next(), nullptr);
  EXPECT_TRUE(reader.failed());
  EXPECT_EQ(reader.error(), ENOTDIR);
}

}  // namespace
}  // namespace sentryscan
