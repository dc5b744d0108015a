// The tree store's parsers (source/git/tree_parse.h) keep only trees and
// commits in the form git writes, and refuse everything else so libgit2
// reads it. (tree_store_test compares their results with libgit2's on
// every repository shape; these are the edges, one by one.)
#include "source/git/tree_parse.h"

#include <gtest/gtest.h>

namespace sentryscan::git {
namespace {

std::string entry(const std::string& mode, const std::string& name, char id_byte = 'a') {
  return mode + " " + name + std::string(1, '\0') + std::string(20, id_byte);
}

bool parses(const std::string& bytes) {
  std::vector<RawEntry> entries;
  return parse_tree(bytes, entries) && names_unique(entries);
}

TEST(GitTreeParse, ReadsWhatGitWrites) {
  const std::string bytes = entry("100644", "a.txt", 'x') + entry("40000", "dir", 'y') + entry("160000", "sub", 'z');
  std::vector<RawEntry> entries;
  ASSERT_TRUE(parse_tree(bytes, entries));
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].name, "a.txt");
  EXPECT_EQ(entries[0].mode, 0100644u);
  EXPECT_EQ(entries[1].mode, 040000u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(entries[2].id), 20), std::string(20, 'z'));
  EXPECT_TRUE(names_unique(entries));
  EXPECT_TRUE(parses(""));  // the empty tree
}

TEST(GitTreeParse, DirectoriesSortAsIfTheirNameEndedInASlash) {
  // "a.c" < "a/" < "a0": git's order, which plain name order ("a" < "a.c") is not.
  EXPECT_TRUE(parses(entry("100644", "a.c") + entry("40000", "a") + entry("100644", "a0")));
  EXPECT_FALSE(parses(entry("40000", "a") + entry("100644", "a.c")));
  EXPECT_LT(tree_order("a.c", false, "a", true), 0);
  EXPECT_LT(tree_order("a", false, "a", true), 0);  // a file "a" before a directory "a"
}

TEST(GitTreeParse, RefusesWhatGitWouldNotWrite) {
  EXPECT_FALSE(parses(entry("100644", "b") + entry("100644", "a")));                         // out of order
  EXPECT_FALSE(parses(entry("100644", "a") + entry("100644", "a")));                         // a name twice
  EXPECT_FALSE(parses(entry("100644", "d") + entry("100644", "d.txt") + entry("40000", "d")));  // file and directory
  EXPECT_FALSE(parses(entry("100644", "a/b")));                                              // a slash in a name
  EXPECT_FALSE(parses(entry("100644", "")));                                                 // no name
  EXPECT_FALSE(parses(entry("10064x", "a")));                                                // not octal
  EXPECT_FALSE(parses(entry("", "a")));                                                      // no mode
  EXPECT_FALSE(parses(entry("01006440", "a")));                                              // eight digits
  EXPECT_FALSE(parses(entry("777777", "a")));                                                // over 16 bits
  EXPECT_FALSE(parses("100644 a"));                                                           // no NUL
  EXPECT_FALSE(parses(entry("100644", "a").substr(0, 20)));                                  // id cut short
  EXPECT_FALSE(parses("100644a" + std::string(1, '\0') + std::string(20, 'a')));             // no space
}

TEST(GitTreeParse, ModesAreNormalisedAsLibgit2Does) {
  EXPECT_EQ(normalised(0100644), GIT_FILEMODE_BLOB);
  EXPECT_EQ(normalised(0100664), GIT_FILEMODE_BLOB);
  EXPECT_EQ(normalised(0100755), GIT_FILEMODE_BLOB_EXECUTABLE);
  EXPECT_EQ(normalised(0100700), GIT_FILEMODE_BLOB_EXECUTABLE);
  EXPECT_EQ(normalised(0040000), GIT_FILEMODE_TREE);
  EXPECT_EQ(normalised(0120000), GIT_FILEMODE_LINK);
  EXPECT_EQ(normalised(0160000), GIT_FILEMODE_COMMIT);
  EXPECT_EQ(type_of(0160000), GIT_OBJECT_COMMIT);
  EXPECT_EQ(type_of(0040000), GIT_OBJECT_TREE);
  EXPECT_EQ(type_of(0120000), GIT_OBJECT_BLOB);
}

const std::string kTree = "tree 0123456789abcdef0123456789abcdef01234567\n";
const std::string kParent = "parent 89abcdef0123456789abcdef0123456789abcdef\n";
const std::string kAuthor = "author A U Thor <a@example.com> 1700000000 +0100\n";
const std::string kCommitter = "committer C O Mitter <c@example.com> 1700000123 -0230\n";

TEST(GitCommitParse, ReadsTreeParentsAndTheCommitterTime) {
  RawCommit commit;
  ASSERT_TRUE(parse_commit(kTree + kParent + kParent + kAuthor + kCommitter + "\nmessage\n", commit));
  EXPECT_EQ(to_hex(commit.tree), "0123456789abcdef0123456789abcdef01234567");
  ASSERT_EQ(commit.parents.size(), 2u);
  EXPECT_EQ(to_hex(commit.parents[1]), "89abcdef0123456789abcdef0123456789abcdef");
  EXPECT_EQ(commit.time, 1700000123);
  ASSERT_TRUE(parse_commit(kTree + kAuthor + kCommitter, commit));
  EXPECT_TRUE(commit.parents.empty());
  // Extra author lines are skipped, as libgit2 skips them.
  ASSERT_TRUE(parse_commit(kTree + kAuthor + "author B <b@example.com> 1 +0000\n" + kCommitter, commit));
  EXPECT_EQ(commit.time, 1700000123);
}

TEST(GitCommitParse, RefusesWhatLibgit2WouldReadLooselyOrNotAtAll) {
  RawCommit commit;
  EXPECT_FALSE(parse_commit(kAuthor + kCommitter, commit));  // no tree
  EXPECT_FALSE(parse_commit("tree 0123456789ABCDEF0123456789abcdef01234567\n" + kAuthor + kCommitter, commit));
  EXPECT_FALSE(parse_commit(kTree + kCommitter, commit));  // no author
  EXPECT_FALSE(parse_commit(kTree + kAuthor, commit));     // no committer
  EXPECT_FALSE(parse_commit(kTree + kAuthor + "committer C <c@example.com> 1700000123\n", commit));  // no zone
  EXPECT_FALSE(parse_commit(kTree + kAuthor + "committer C <c@example.com>\n", commit));             // no time
  EXPECT_FALSE(parse_commit(kTree + kAuthor + "committer C c@example.com 1 +0000\n", commit));       // no <>
  EXPECT_FALSE(parse_commit(kTree + kAuthor + "committer C <c@example.com> 1x +0000\n", commit));
  EXPECT_FALSE(parse_commit(kTree + kAuthor + "committer C <c@example.com> 1 +00a0\n", commit));
  EXPECT_FALSE(parse_commit(kTree + kAuthor + "committer C <c@example.com> 1 +0000", commit));  // no newline
  EXPECT_FALSE(parse_commit(kTree + "parent 123\n" + kAuthor + kCommitter, commit));
  EXPECT_FALSE(parse_commit(kTree.substr(0, 30), commit));
}

}  // namespace
}  // namespace sentryscan::git
