// Range parsing and the commits a range covers, including the new-branch and
// shallow cases a CI gate meets.
#include "source/git/range/range.h"

#include <gtest/gtest.h>

#include "support/git_repo.h"

namespace sentryscan::git {
namespace {

using testing::GitRepo;

TEST(GitRangeParse, Forms) {
  auto two = parse_range("main..feature");
  ASSERT_TRUE(two);
  EXPECT_EQ(two->base, "main");
  EXPECT_EQ(two->head, "feature");
  EXPECT_FALSE(two->merge_base);
  auto three = parse_range("abc...def");
  ASSERT_TRUE(three);
  EXPECT_TRUE(three->merge_base);
  EXPECT_EQ(three->head, "def");
  auto open = parse_range("v1.0..");
  ASSERT_TRUE(open);
  EXPECT_EQ(open->head, "HEAD");
  EXPECT_FALSE(parse_range("main"));
  EXPECT_FALSE(parse_range("..HEAD"));
  EXPECT_FALSE(parse_range("a..b..c"));
}

std::vector<std::string> commits_of(const std::filesystem::path& path, const std::string& range, RangePlan::Kind* kind,
                                    bool* fell_back = nullptr) {
  Session session;
  Repository repo = open_repository(path.string());
  const RangePlan plan = plan_range(repo.get(), *parse_range(range));
  if (kind) *kind = plan.kind;
  std::vector<std::string> out;
  if (plan.kind == RangePlan::Kind::base_missing) return out;
  bool fb = false;
  for (const auto& oid : range_commits(repo.get(), plan, fb)) out.push_back(to_hex(oid));
  if (fell_back) *fell_back = fb;
  return out;
}

TEST(GitRangePlan, OrdinaryRangeOldestFirst) {
  GitRepo repo;
  const std::string base = repo.commit_file("a", "1\n", "base");
  const std::string c1 = repo.commit_file("a", "2\n", "c1");
  const std::string c2 = repo.commit_file("a", "3\n", "c2");
  RangePlan::Kind kind;
  EXPECT_EQ(commits_of(repo.path(), base + ".." + c2, &kind), (std::vector<std::string>{c1, c2}));
  EXPECT_EQ(kind, RangePlan::Kind::range);
}

TEST(GitRangePlan, UnknownHeadIsAUsageError) {
  GitRepo repo;
  repo.commit_file("a", "1\n", "base");
  Session session;
  Repository handle = open_repository(repo.path().string());
  EXPECT_THROW(plan_range(handle.get(), *parse_range("HEAD..no-such-branch")), RangeError);
}

TEST(GitRangePlan, NewBranchScansWhatNoRemoteBranchHas) {
  GitRepo origin;
  origin.commit_file("a", "1\n", "base");
  testing::TempDir dir;
  origin.git({"clone", "-q", origin.path().string(), (dir.path() / "clone").string()});
  GitRepo clone(dir.path() / "clone");
  clone.git({"checkout", "-q", "-b", "topic"});
  const std::string c1 = clone.commit_file("b", "2\n", "c1");
  const std::string c2 = clone.commit_file("c", "3\n", "c2");
  // What actions/checkout does after the push: the branch's own remote-tracking ref exists.
  clone.git({"update-ref", "refs/remotes/origin/topic", c2});
  RangePlan::Kind kind;
  bool fell_back = true;
  EXPECT_EQ(commits_of(clone.path(), std::string(40, '0') + ".." + c2, &kind, &fell_back),
            (std::vector<std::string>{c1, c2}));
  EXPECT_EQ(kind, RangePlan::Kind::new_branch);
  EXPECT_FALSE(fell_back);
  // BASE == HEAD behaves the same.
  EXPECT_EQ(commits_of(clone.path(), c2 + ".." + c2, &kind), (std::vector<std::string>{c1, c2}));
  // Everything already on another remote branch: HEAD's own commit, never nothing.
  const std::string c3 = clone.commit_file("d", "4\n", "c3");
  clone.git({"update-ref", "refs/remotes/origin/other", c3});
  clone.git({"reset", "-q", "--hard", c2});
  EXPECT_EQ(commits_of(clone.path(), c2 + ".." + c2, &kind, &fell_back), (std::vector<std::string>{c2}));
  EXPECT_TRUE(fell_back);
}

TEST(GitRangePlan, BaseMissingInAShallowClone) {
  GitRepo origin;
  const std::string base = origin.commit_file("a", "1\n", "base");
  origin.commit_file("a", "2\n", "c1");
  const std::string head = origin.commit_file("a", "3\n", "c2");
  testing::TempDir dir;
  origin.git({"clone", "-q", "--depth", "1", "file://" + origin.path().string(), (dir.path() / "shallow").string()});
  Session session;
  Repository repo = open_repository((dir.path() / "shallow").string());
  const RangePlan plan = plan_range(repo.get(), *parse_range(base + ".." + head));
  EXPECT_EQ(plan.kind, RangePlan::Kind::base_missing);
  EXPECT_NE(plan.message.find("fetch-depth: 0"), std::string::npos);
  EXPECT_NE(plan.message.find("shallow"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::git
