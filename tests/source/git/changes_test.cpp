// Added-line sets for commits (single parent, merges, renames) and the index.
#include "source/git/changes.h"

#include <gtest/gtest.h>

#include <map>

#include "support/git_repo.h"

namespace sentryscan::git {
namespace {

using testing::GitRepo;

std::string lines_of(const LineSet& set) {
  if (set.all()) return "all";
  std::string out;
  for (const auto& [first, last] : set.ranges()) {
    if (!out.empty()) out += ",";
    out += first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
  }
  return out;
}

Tree tree_of(git_repository* repo, const std::string& revision) {
  git_object* raw = nullptr;
  check(git_revparse_single(&raw, repo, (revision + "^{tree}").c_str()), revision);
  return Tree(reinterpret_cast<git_tree*>(raw));
}

// path -> added lines for REV relative to its parents.
std::map<std::string, std::string> commit_lines(const GitRepo& repo, const std::string& revision,
                                                const std::vector<std::string>& parents) {
  Session session;
  Repository handle = open_repository(repo.path().string());
  std::vector<Tree> owned;
  std::vector<git_tree*> raw;
  for (const auto& p : parents) {
    owned.push_back(tree_of(handle.get(), p));
    raw.push_back(owned.back().get());
  }
  Tree tree = tree_of(handle.get(), revision);
  std::map<std::string, std::string> out;
  for (const auto& change : tree_changes(handle.get(), raw, tree.get(), {}))
    out[change.path] = (change.binary ? "binary:" : "") + lines_of(change.lines);
  return out;
}

TEST(LineSet, AddContainsIntersect) {
  LineSet a;
  for (auto l : {1, 2, 3, 7, 9, 10}) a.add(l);
  EXPECT_EQ(lines_of(a), "1-3,7,9-10");
  EXPECT_TRUE(a.contains(2));
  EXPECT_FALSE(a.contains(4));
  EXPECT_TRUE(a.contains(10));
  EXPECT_FALSE(a.contains(11));
  LineSet b;
  for (auto l : {3, 4, 5, 6, 7, 8, 9}) b.add(l);
  EXPECT_EQ(lines_of(LineSet::intersect(a, b)), "3,7,9");
  EXPECT_EQ(lines_of(LineSet::intersect(LineSet::everything(), b)), "3-9");
  EXPECT_TRUE(LineSet().empty());
}

TEST(GitChanges, ModifiedFileAddsOnlyTheNewLines) {
  GitRepo repo;
  repo.commit_file("f.txt", "a\nb\nc\nd\n", "one");
  repo.commit_file("f.txt", "a\nB\nc\nd\ne\n", "two");
  repo.commit_file("new.txt", "x\ny\n", "three");
  EXPECT_EQ(commit_lines(repo, "HEAD~1", {"HEAD~2"}), (std::map<std::string, std::string>{{"f.txt", "2,5"}}));
  EXPECT_EQ(commit_lines(repo, "HEAD", {"HEAD~1"}), (std::map<std::string, std::string>{{"new.txt", "all"}}));
  EXPECT_EQ(commit_lines(repo, "HEAD~2", {}), (std::map<std::string, std::string>{{"f.txt", "all"}}));
}

TEST(GitChanges, PureRenameAddsNothingAndRenameWithEditAddsTheEdit) {
  GitRepo repo;
  std::string body;
  for (int i = 0; i < 40; ++i) body += "line " + std::to_string(i) + "\n";
  repo.commit_file("a.txt", body, "one");
  repo.git({"mv", "a.txt", "b.txt"});
  repo.commit("rename");
  EXPECT_TRUE(commit_lines(repo, "HEAD", {"HEAD~1"}).empty());
  repo.git({"mv", "b.txt", "c.txt"});
  repo.write("c.txt", body + "added\n");
  repo.commit("rename and edit");
  EXPECT_EQ(commit_lines(repo, "HEAD", {"HEAD~1"}), (std::map<std::string, std::string>{{"c.txt", "41"}}));
}

TEST(GitChanges, MergeAddsOnlyLinesNewToEveryParent) {
  GitRepo repo;
  repo.commit_file("f.txt", "1\n2\n3\n", "base");
  repo.git({"checkout", "-q", "-b", "side"});
  repo.commit_file("side.txt", "side\n", "side work");
  repo.git({"checkout", "-q", "main"});
  repo.commit_file("f.txt", "1\n2\n3\n4\n", "main work");
  repo.git({"merge", "-q", "--no-ff", "--no-commit", "side"});
  // An "evil" merge: a line that neither parent has.
  repo.write("f.txt", "1\n2\n3\n4\nevil\n");
  repo.git({"add", "f.txt"});
  repo.git({"commit", "-q", "-m", "merge"});
  EXPECT_EQ(commit_lines(repo, "HEAD", {"HEAD^1", "HEAD^2"}), (std::map<std::string, std::string>{{"f.txt", "5"}}));
  // Against the first parent alone, side.txt would look new.
  EXPECT_TRUE(commit_lines(repo, "HEAD", {"HEAD^1"}).contains("side.txt"));
}

TEST(GitChanges, BinaryModificationKeepsTheOldBlob) {
  GitRepo repo;
  repo.commit_file("app.bin", std::string("\0\1\2old", 6), "one");
  repo.commit_file("app.bin", std::string("\0\1\2new", 6), "two");
  Session session;
  Repository handle = open_repository(repo.path().string());
  Tree parent = tree_of(handle.get(), "HEAD~1");
  Tree tree = tree_of(handle.get(), "HEAD");
  const auto changes = tree_changes(handle.get(), {parent.get()}, tree.get(), {});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(changes[0].binary);
  EXPECT_TRUE(changes[0].lines.all());
  ASSERT_EQ(changes[0].old_blobs.size(), 1u);
  EXPECT_EQ(to_hex(changes[0].old_blobs[0]), repo.rev("HEAD~1:app.bin"));
}

std::map<std::string, std::string> staged_lines(const GitRepo& repo) {
  Session session;
  Repository handle = open_repository(repo.path().string());
  git_index* raw_index = nullptr;
  check(git_repository_index(&raw_index, handle.get()), "index");
  Index index(raw_index);
  Tree head;
  if (git_repository_head_unborn(handle.get()) != 1) head = tree_of(handle.get(), "HEAD");
  std::map<std::string, std::string> out;
  ChangeOptions options;
  options.excluded = [](std::string_view p) { return p == "ignored.txt"; };
  for (const auto& change : index_changes(handle.get(), head.get(), index.get(), options))
    out[change.path] = lines_of(change.lines) + "@" + to_hex(change.blob).substr(0, 7);
  return out;
}

TEST(GitChanges, IndexNotWorkingTree) {
  GitRepo repo;
  repo.write("a.txt", "one\n");
  repo.write("ignored.txt", "x\n");
  repo.git({"add", "a.txt", "ignored.txt"});
  // Unborn HEAD: everything staged is new.
  const std::string first = repo.blob_id("one\n").substr(0, 7);
  EXPECT_EQ(staged_lines(repo), (std::map<std::string, std::string>{{"a.txt", "all@" + first}}));
  repo.commit("first");
  repo.write("a.txt", "one\ntwo\n");
  repo.git({"add", "a.txt"});
  repo.write("a.txt", "one\ntwo\nworking tree only\n");
  const std::string staged = repo.blob_id("one\ntwo\n").substr(0, 7);
  EXPECT_EQ(staged_lines(repo), (std::map<std::string, std::string>{{"a.txt", "2@" + staged}}));
}

}  // namespace
}  // namespace sentryscan::git
