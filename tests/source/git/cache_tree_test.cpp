// The index's cache-tree as real git writes it, and the staged diff it
// narrows: restricted to paths_that_may_differ, the diff must find exactly
// what the full index-against-HEAD diff finds, in every kind of change.
#include "source/git/staged/cache_tree.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>

#include "source/git/changes.h"
#include "support/git_repo.h"

namespace sentryscan::git {
namespace {

using testing::GitRepo;

std::string index_bytes(const GitRepo& repo) {
  std::ifstream in(repo.path() / ".git" / "index", std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const CacheTreeNode* find_node(const CacheTreeNode& root, const std::string& path) {
  const CacheTreeNode* node = &root;
  std::size_t begin = 0;
  while (node && begin < path.size()) {
    const std::size_t slash = std::min(path.find('/', begin), path.size());
    node = node->child(std::string_view(path).substr(begin, slash - begin));
    begin = slash + 1;
  }
  return node;
}

// A committed tree: files at the top, two levels of directories, a second branch of them.
// The files are dated a minute back: files as new as the index are "racily
// clean" to git, and its next `add -A` re-hashes them and invalidates every
// directory of the cache-tree, which is not what a developer's index looks like.
void commit_layout(GitRepo& repo) {
  repo.write("README", "top\n");
  repo.write("app/main.py", "print(1)\n");
  repo.write("app/deep/er/config.py", "x = 1\n");
  repo.write("lib/util.py", "def f(): pass\n");
  repo.write("lib/more/helpers.py", "def g(): pass\n");
  const auto a_minute_ago = std::filesystem::file_time_type::clock::now() - std::chrono::minutes(1);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(repo.path()))
    if (entry.is_regular_file() && entry.path().string().find("/.git/") == std::string::npos)
      std::filesystem::last_write_time(entry.path(), a_minute_ago);
  repo.commit("layout");
}

TEST(CacheTree, CommitLeavesEveryDirectoryValidWithHeadsTreeIds) {
  GitRepo repo;
  commit_layout(repo);
  const auto root = parse_cache_tree(index_bytes(repo));
  ASSERT_TRUE(root.has_value());
  EXPECT_TRUE(root->valid);
  EXPECT_EQ(to_hex(root->id), repo.rev("HEAD^{tree}"));
  for (const std::string dir : {"app", "app/deep", "app/deep/er", "lib", "lib/more"}) {
    const CacheTreeNode* node = find_node(*root, dir);
    ASSERT_NE(node, nullptr) << dir;
    EXPECT_TRUE(node->valid) << dir;
    EXPECT_EQ(to_hex(node->id), repo.rev("HEAD:" + dir)) << dir;
  }
}

TEST(CacheTree, AddInvalidatesOnlyThePathToTheChange) {
  GitRepo repo;
  commit_layout(repo);
  repo.write("app/deep/er/config.py", "x = 2\n");
  repo.git({"add", "app/deep/er/config.py"});
  const auto root = parse_cache_tree(index_bytes(repo));
  ASSERT_TRUE(root.has_value());
  EXPECT_FALSE(root->valid);
  for (const std::string dir : {"app", "app/deep", "app/deep/er"}) EXPECT_FALSE(find_node(*root, dir)->valid) << dir;
  for (const std::string dir : {"lib", "lib/more"}) EXPECT_TRUE(find_node(*root, dir)->valid) << dir;
}

TEST(CacheTree, IndexVersionsThreeAndFourReadTheSame) {
  GitRepo repo;
  commit_layout(repo);
  repo.write("lib/more/new.py", "y = 1\n");
  repo.git({"add", "-N", "lib/more/new.py"});  // intent-to-add: an extended flag, so version 3
  const auto v3 = parse_cache_tree(index_bytes(repo));
  ASSERT_TRUE(v3.has_value());
  repo.git({"update-index", "--index-version", "4"});
  const auto v4 = parse_cache_tree(index_bytes(repo));
  ASSERT_TRUE(v4.has_value());
  for (const auto* root : {&*v3, &*v4}) {
    EXPECT_FALSE(find_node(*root, "lib/more")->valid);
    ASSERT_TRUE(find_node(*root, "app/deep/er")->valid);
    EXPECT_EQ(to_hex(find_node(*root, "app/deep/er")->id), repo.rev("HEAD:app/deep/er"));
  }
}

TEST(CacheTree, DamagedIndexBytesAreRefusedNotMisread) {
  GitRepo repo;
  commit_layout(repo);
  const std::string good = index_bytes(repo);
  ASSERT_TRUE(parse_cache_tree(good).has_value());
  EXPECT_FALSE(parse_cache_tree("").has_value());
  EXPECT_FALSE(parse_cache_tree("DIRC").has_value());
  const std::size_t tree_at = good.find("TREE", 12);
  ASSERT_NE(tree_at, std::string::npos);
  for (std::size_t cut = 0; cut < tree_at; ++cut)
    EXPECT_FALSE(parse_cache_tree(good.substr(0, cut)).has_value()) << "cut at " << cut;
  std::mt19937 random(12345);
  for (int round = 0; round < 2000; ++round) {
    std::string damaged = good;
    for (int flips = 1 + round % 4; flips > 0; --flips)
      damaged[random() % damaged.size()] = static_cast<char>(random());
    (void)parse_cache_tree(damaged);  // must not crash or read out of bounds (the sanitizer build checks)
  }
}

struct StagedView {
  std::map<std::string, std::string> changes;  // path -> added lines
  std::optional<std::vector<std::string>> narrowed_to;
};

std::string lines_text(const LineSet& lines) {
  if (lines.all()) return "all";
  std::string out;
  for (const auto& [first, last] : lines.ranges()) out += std::to_string(first) + "-" + std::to_string(last) + ",";
  return out;
}

// The staged changes as the full diff sees them and as the narrowed diff sees
// them; the test fails when they differ.
StagedView staged_both_ways(const GitRepo& repo, bool expect_cache_tree = true) {
  Session session(Session::PackWindows::library_default);
  Repository handle = open_repository(repo.path().string());
  git_index* raw_index = nullptr;
  check(git_repository_index(&raw_index, handle.get()), "index");
  Index index(raw_index);
  git_object* raw_tree = nullptr;
  check(git_revparse_single(&raw_tree, handle.get(), "HEAD^{tree}"), "HEAD");
  Tree head(reinterpret_cast<git_tree*>(raw_tree));
  auto collect = [&](const std::vector<std::string>* only) {
    std::map<std::string, std::string> out;
    for (const auto& change : index_changes(handle.get(), head.get(), index.get(), {}, only))
      out[change.path] = lines_text(change.lines);
    return out;
  };
  StagedView view;
  view.changes = collect(nullptr);
  view.narrowed_to = paths_that_may_differ(handle.get(), head.get(), index.get());
  if (expect_cache_tree) {
    EXPECT_TRUE(view.narrowed_to.has_value());
  }
  if (view.narrowed_to) {
    EXPECT_EQ(collect(&*view.narrowed_to), view.changes);
  }
  return view;
}

bool lists(const StagedView& view, const std::string& path) {
  return view.narrowed_to && std::find(view.narrowed_to->begin(), view.narrowed_to->end(), path) !=
                                 view.narrowed_to->end();
}

TEST(StagedNarrowing, NothingStagedMeansNothingToCompare) {
  GitRepo repo;
  commit_layout(repo);
  const StagedView view = staged_both_ways(repo);
  EXPECT_TRUE(view.changes.empty());
  ASSERT_TRUE(view.narrowed_to.has_value());
  EXPECT_TRUE(view.narrowed_to->empty());
}

TEST(StagedNarrowing, AnEditDeepDownSkipsTheUntouchedDirectories) {
  GitRepo repo;
  commit_layout(repo);
  repo.write("app/deep/er/config.py", "x = 1\ny = 2\n");
  repo.git({"add", "-A"});
  const StagedView view = staged_both_ways(repo);
  EXPECT_EQ(view.changes, (std::map<std::string, std::string>{{"app/deep/er/config.py", "2-2,"}}));
  EXPECT_TRUE(lists(view, "app/deep/er/config.py"));
  for (const std::string untouched : {"lib", "lib/util.py", "lib/more", "lib/more/helpers.py"})
    EXPECT_FALSE(lists(view, untouched)) << untouched << " in " << ::testing::PrintToString(*view.narrowed_to);
}

TEST(StagedNarrowing, NewFilesInNewDirectoriesAndReplacedPaths) {
  GitRepo repo;
  commit_layout(repo);
  repo.write("app/brand/new/dir/file.py", "a\nb\n");
  repo.write("app/new_top.py", "c\n");
  repo.remove("lib/util.py");
  repo.write("lib/util.py/now_a_directory.py", "d\n");  // a file became a directory
  repo.remove("README");
  repo.write("README/inside", "e\n");
  repo.git({"add", "-A"});
  const StagedView view = staged_both_ways(repo);
  EXPECT_EQ(view.changes.count("app/brand/new/dir/file.py"), 1u);
  EXPECT_EQ(view.changes.count("app/new_top.py"), 1u);
  EXPECT_EQ(view.changes.count("lib/util.py/now_a_directory.py"), 1u);
  EXPECT_EQ(view.changes.count("README/inside"), 1u);
}

TEST(StagedNarrowing, MovingADirectoryAddsNothing) {
  GitRepo repo;
  commit_layout(repo);
  repo.git({"mv", "lib/more", "app/moved"});
  const StagedView view = staged_both_ways(repo);
  EXPECT_TRUE(view.changes.empty());
}

TEST(StagedNarrowing, ADirectoryBecomingAFile) {
  GitRepo repo;
  commit_layout(repo);
  repo.git({"rm", "-r", "-q", "lib/more"});
  repo.write("lib/more", "now a file\n");
  repo.git({"add", "-A"});
  const StagedView view = staged_both_ways(repo);
  EXPECT_EQ(view.changes, (std::map<std::string, std::string>{{"lib/more", "all"}}));
}

TEST(StagedNarrowing, ValidCacheTreeThatIsNotHeadsAfterResetSoft) {
  GitRepo repo;
  commit_layout(repo);
  repo.write("lib/more/helpers.py", "def g(): pass\ndef h(): pass\n");
  repo.write("lib/other/new.py", "z\n");
  repo.commit("second");
  repo.git({"reset", "-q", "--soft", "HEAD~1"});  // the index keeps the second commit's cache-tree
  const StagedView view = staged_both_ways(repo);
  EXPECT_EQ(view.changes,
            (std::map<std::string, std::string>{{"lib/more/helpers.py", "2-2,"}, {"lib/other/new.py", "all"}}));
}

TEST(StagedNarrowing, IndexWithoutACacheTreeStillFindsEverything) {
  GitRepo repo;
  commit_layout(repo);
  repo.git({"read-tree", "--empty"});
  repo.write("app/main.py", "print(1)\nprint(2)\n");
  repo.git({"add", "-A"});
  const StagedView view = staged_both_ways(repo, false);
  EXPECT_EQ(view.changes, (std::map<std::string, std::string>{{"app/main.py", "2-2,"}}));
}

TEST(StagedNarrowing, CaseInsensitiveIndexIsComparedInFull) {
  GitRepo repo;
  commit_layout(repo);
  repo.git({"config", "core.ignorecase", "true"});
  repo.write("App/Secret.py", "s = 1\n");
  repo.git({"add", "-A"});
  const StagedView view = staged_both_ways(repo, false);
  EXPECT_FALSE(view.narrowed_to.has_value());
  // git files it under the directory's existing spelling, "app/".
  ASSERT_EQ(view.changes.size(), 1u);
  EXPECT_EQ(view.changes.begin()->first, "app/Secret.py");
}

}  // namespace
}  // namespace sentryscan::git
