// Pack offsets read from the .idx files agree with git's own view.
#include "source/git/pack_order.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/git_repo.h"

namespace sentryscan::git {
namespace {

TEST(GitPackOrder, OffsetsMatchVerifyPackAndLooseObjectsSortLast) {
  testing::GitRepo repo;
  for (int i = 0; i < 5; ++i) repo.commit_file("f" + std::to_string(i), std::string(100 + i, 'a' + i), "c");
  repo.git({"gc", "-q"});
  const std::string loose = repo.git({"hash-object", "-w", "--stdin"}, {});  // empty blob, loose
  std::string pack;
  for (const auto& entry : std::filesystem::directory_iterator(repo.path() / ".git" / "objects" / "pack"))
    if (entry.path().extension() == ".idx") pack = entry.path().string();
  ASSERT_FALSE(pack.empty());
  std::istringstream listing(repo.git({"verify-pack", "-v", pack}));

  Session session;
  Repository handle = open_repository(repo.path().string());
  const PackOrder order(handle.get());
  ASSERT_EQ(order.packs(), 1u);
  std::string line;
  int checked = 0;
  while (std::getline(listing, line)) {
    std::istringstream fields(line);
    std::string oid, type;
    std::uint64_t size = 0, packed = 0, offset = 0;
    if (!(fields >> oid >> type >> size >> packed >> offset) || oid.size() != 40) continue;
    git_oid id;
    ASSERT_EQ(git_oid_fromstr(&id, oid.c_str()), 0);
    EXPECT_EQ(order.position(id), std::make_pair(std::uint32_t{0}, offset)) << oid;
    ++checked;
  }
  EXPECT_GE(checked, 15);  // 5 commits, 5 trees, 5 blobs
  git_oid id;
  ASSERT_EQ(git_oid_fromstr(&id, loose.substr(0, 40).c_str()), 0);
  EXPECT_EQ(order.position(id).first, 1u);
}

}  // namespace
}  // namespace sentryscan::git
