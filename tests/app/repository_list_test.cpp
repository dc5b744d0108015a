// The repository list of an organisation audit and its shards (app/repository_list.h).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>

#include "app/repository_list.h"
#include "core/input_error.h"
#include "support/temp_dir.h"

namespace sentryscan {
namespace {

TEST(RepositoryList, ShardsCoverEveryListExactlyOnce) {
  for (std::size_t k = 0; k <= 40; ++k) {
    std::vector<RepositoryEntry> entries;
    for (std::size_t i = 0; i < k; ++i)
      entries.push_back(make_entry(fmt::format("https://git.example.com/org/repo-{}.git", i), {}));
    for (std::uint32_t n = 1; n <= 7; ++n) {
      std::map<std::string, int> seen;
      for (std::uint32_t index = 0; index < n; ++index)
        for (const auto& entry : entries_of_shard(entries, {index, n})) ++seen[entry.normalised];
      ASSERT_EQ(seen.size(), k) << "k=" << k << " n=" << n;
      for (const auto& [name, times] : seen) ASSERT_EQ(times, 1) << name << " k=" << k << " n=" << n;
    }
  }
}

TEST(RepositoryList, ShardDoesNotDependOnOrderOrSpelling) {
  const RepositoryEntry a = make_entry("HTTPS://user:secret-token@Git.Example.COM/Org/Repo.git/", {});
  const RepositoryEntry b = make_entry("https://git.example.com/Org/Repo", {});
  EXPECT_EQ(a.normalised, "https://git.example.com/Org/Repo");  // the path keeps its case
  EXPECT_EQ(a.normalised, b.normalised);
  for (std::uint32_t n = 1; n < 9; ++n) EXPECT_EQ(shard_index(a, n), shard_index(b, n));
  EXPECT_EQ(a.display, "HTTPS://Git.Example.COM/Org/Repo.git/");  // credentials never reach a report
  EXPECT_EQ(list_digest({a, b}), list_digest({b, a}));
  EXPECT_NE(list_digest({a}), list_digest({a, make_entry("other", {})}));
  EXPECT_EQ(make_entry("dir/repo/.git", {}).normalised, "dir/repo");
}

TEST(RepositoryList, ShardSyntax) {
  EXPECT_TRUE(parse_shard("0/1"));
  EXPECT_EQ(parse_shard("3/4")->index, 3u);
  for (const char* bad : {"4/4", "1/0", "0", "-1/2", "a/b", "1/2x", "/2", "1/", ""}) EXPECT_FALSE(parse_shard(bad)) << bad;
}

TEST(RepositoryList, RemoteOrLocal) {
  EXPECT_TRUE(is_remote_url("https://example.com/a.git"));
  EXPECT_TRUE(is_remote_url("file:///srv/git/a.git"));
  EXPECT_TRUE(is_remote_url("git@example.com:org/a.git"));
  EXPECT_FALSE(is_remote_url("./a:b"));
  EXPECT_FALSE(is_remote_url("/srv/git/a.git"));
  EXPECT_FALSE(is_remote_url("repos/a"));
}

TEST(RepositoryList, FileWithCommentsBlanksAndRelativePaths) {
  testing::TempDir dir;
  const auto list = dir.write("lists/repos.txt",
                              "# the audit\n\n  one  \r\n   # indented comment\n/abs/two\nhttps://h.example/x.git\n");
  const auto entries = read_repository_list(list);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].display, "one");
  EXPECT_EQ(entries[0].location, (dir.path() / "lists" / "one").string());
  EXPECT_EQ(entries[1].location, "/abs/two");
  EXPECT_TRUE(entries[2].remote);
  EXPECT_THROW(read_repository_list(dir.path() / "missing.txt"), InputError);
}

TEST(RepositoryList, DuplicatesAreOneRepository) {
  std::vector<RepositoryEntry> entries{make_entry("a", {}), make_entry("a/", {}), make_entry("b", {}),
                                       make_entry("a.git", {})};
  const auto dropped = drop_duplicates(entries);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(dropped.size(), 2u);
}

}  // namespace
}  // namespace sentryscan
