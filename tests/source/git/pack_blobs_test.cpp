// RepositoryPacks::object_ids over repositories of several packs, some
// objects in more than one: the ids are those git lists, sorted, each once,
// whether they were merged pack by pack (a few packs) or sorted whole (many).
#include "source/git/pack_blobs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "support/git_repo.h"

namespace sentryscan::git {
namespace {

using testing::GitRepo;

// Every object id git lists, sorted and unique (the repository holds no loose objects).
std::vector<std::string> ids_git_lists(GitRepo& repo) {
  std::istringstream lines(repo.git({"cat-file", "--batch-all-objects", "--batch-check=%(objectname)"}));
  std::set<std::string> ids;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) ids.insert(line);
  return {ids.begin(), ids.end()};
}

// `packs` packs: each commit's objects in a pack of their own, and every
// third time a pack of everything so far beside them (git repack -a without -d).
void make_packs(GitRepo& repo, int packs) {
  for (int made = 0; made < packs;) {
    repo.commit_file("file-" + std::to_string(made) + ".txt", "content " + std::to_string(made) + "\n",
                     "commit " + std::to_string(made));
    repo.git({"repack", "-q"});
    ++made;
    if (made % 3 == 0 && made < packs) {
      repo.git({"repack", "-q", "-a"});
      ++made;
    }
  }
  repo.git({"prune-packed"});
}

std::size_t pack_count(const GitRepo& repo) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(repo.path() / ".git/objects/pack"))
    count += entry.path().extension() == ".pack";
  return count;
}

void expect_object_ids_as_git_lists(int packs) {
  GitRepo repo;
  make_packs(repo, packs);
  ASSERT_EQ(pack_count(repo), static_cast<std::size_t>(packs));
  Session session;
  Repository handle = open_repository(repo.path().string());
  const std::vector<git_oid> ids = RepositoryPacks(handle.get()).object_ids();
  std::vector<std::string> hex;
  for (const git_oid& id : ids) hex.push_back(to_hex(id));
  EXPECT_TRUE(std::is_sorted(hex.begin(), hex.end()));
  EXPECT_EQ(hex, ids_git_lists(repo));
}

TEST(RepositoryPacks, ObjectIdsOfAFewPacksAreMerged) { expect_object_ids_as_git_lists(4); }

TEST(RepositoryPacks, ObjectIdsOfManyPacksAreSorted) { expect_object_ids_as_git_lists(11); }

}  // namespace
}  // namespace sentryscan::git
