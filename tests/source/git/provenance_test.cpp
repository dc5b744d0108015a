// Where a blob entered history, over real repositories.
#include "source/git/provenance.h"

#include <gtest/gtest.h>

#include <pthread.h>

#include <functional>

#include "source/git/history.h"
#include "source/git/tree_store.h"
#include "support/fake_tokens.h"
#include "support/git_repo.h"
#include "support/looping_tree.h"

namespace sentryscan::git {
namespace {

using testing::fake_user_token;
using testing::GitRepo;

struct Origin {
  bool found = false;
  std::string commit, path;
  std::uint64_t introductions = 0;
};

Origin origin_of(const std::filesystem::path& path, const std::string& blob_hex, bool all_objects = false) {
  Session session;
  Repository repo = open_repository(path.string());
  HistoryWalker walker(repo.get(), {});
  walker.add_ref_tips();
  if (all_objects) walker.add_all_objects();
  walker.run();
  git_oid blob;
  git_oid_fromstr(&blob, blob_hex.c_str());
  const auto origins = find_origins(repo.get(), walker.commits(), {blob}, {});
  const auto it = origins.find(blob);
  if (it == origins.end()) return {};
  return {it->second.found, to_hex(it->second.commit), it->second.path, it->second.introductions};
}

std::string secret(std::string_view seed) { return "token: " + fake_user_token(seed) + "\n"; }

TEST(GitProvenance, AddedThenDeletedNamesTheAddingCommit) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  const std::string added = repo.commit_file("conf/app.yml", secret("deleted"), "add config");
  repo.remove("conf/app.yml");
  repo.commit("remove config");
  const Origin origin = origin_of(repo.path(), repo.blob_id(secret("deleted")));
  EXPECT_TRUE(origin.found);
  EXPECT_EQ(origin.commit, added);
  EXPECT_EQ(origin.path, "conf/app.yml");
  EXPECT_EQ(origin.introductions, 1u);
}

TEST(GitProvenance, RenameKeepsTheOriginalCommitAndPath) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  const std::string added = repo.commit_file("old/name.env", secret("renamed"), "add");
  repo.git({"mv", "old/name.env", "new-name.env"});
  repo.commit("rename");
  repo.commit_file("other.txt", "unrelated\n", "later");
  const Origin origin = origin_of(repo.path(), repo.blob_id(secret("renamed")));
  EXPECT_EQ(origin.commit, added);
  EXPECT_EQ(origin.path, "old/name.env");
  EXPECT_EQ(origin.introductions, 2u);  // added, then at the new path
}

TEST(GitProvenance, SameBlobOnTwoBranchesCountsBothAndNamesTheOlder) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  repo.git({"checkout", "-q", "-b", "one"});
  const std::string first = repo.commit_file("a/key.txt", secret("same"), "one");
  repo.git({"checkout", "-q", "main"});
  repo.git({"checkout", "-q", "-b", "two"});
  repo.commit_file("b/key.txt", secret("same"), "two");
  const Origin origin = origin_of(repo.path(), repo.blob_id(secret("same")));
  EXPECT_EQ(origin.commit, first);
  EXPECT_EQ(origin.path, "a/key.txt");
  EXPECT_EQ(origin.introductions, 2u);
}

TEST(GitProvenance, MergeIsNotAnIntroduction) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  repo.git({"checkout", "-q", "-b", "feature"});
  const std::string added = repo.commit_file("f.txt", secret("merged"), "feature work");
  repo.git({"checkout", "-q", "main"});
  repo.commit_file("main.txt", "main\n", "main work");
  repo.git({"merge", "-q", "--no-ff", "-m", "merge feature", "feature"});
  const Origin origin = origin_of(repo.path(), repo.blob_id(secret("merged")));
  EXPECT_EQ(origin.commit, added);
  EXPECT_EQ(origin.introductions, 1u);
}

TEST(GitProvenance, DanglingCommitIsTheOriginWithAllObjects) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  const std::string dangling = repo.commit_file("leak.txt", secret("dangling"), "oops");
  repo.git({"reset", "-q", "--hard", "HEAD~1"});
  EXPECT_FALSE(origin_of(repo.path(), repo.blob_id(secret("dangling"))).found);
  const Origin origin = origin_of(repo.path(), repo.blob_id(secret("dangling")), true);
  EXPECT_EQ(origin.commit, dangling);
  EXPECT_EQ(origin.path, "leak.txt");
}

// Every field of every origin, for comparing runs.
std::string describe(const std::map<git_oid, BlobOrigin, OidLess>& origins) {
  std::string text;
  for (const auto& [blob, origin] : origins) {
    text += to_hex(blob) + " found=" + std::to_string(origin.found) + " commit=" + to_hex(origin.commit) +
            " path=" + origin.path + " n=" + std::to_string(origin.introductions) +
            " rank=" + std::to_string(origin.rank) + " all=";
    for (const auto& [commit, path] : origin.all) text += to_hex(commit) + ":" + path + ",";
    text += "\n";
  }
  return text;
}

// Commits are compared on several threads and merged back in walk order:
// the result must not depend on the thread count, with the tree store or
// through libgit2 alone. 90 commits on three branches, merged, each
// branch adding every secret at a path of its own, so that the
// introductions of one blob fall in different threads' batches.
TEST(GitProvenance, SameOriginsOnAnyNumberOfThreads) {
  GitRepo repo;
  repo.commit_file("README", "x\n", "init");
  std::vector<std::string> secrets;
  for (int s = 0; s < 5; ++s) secrets.push_back(secret("threads-" + std::to_string(s)));
  for (const char* branch : {"one", "two", "three"}) {
    repo.git({"checkout", "-q", "main"});
    repo.git({"checkout", "-q", "-b", branch});
    for (int i = 0; i < 30; ++i) {
      const std::string dir = std::string(branch) + "/d" + std::to_string(i % 7);
      if (i % 6 == 0)
        repo.commit_file(dir + "/key" + std::to_string(i) + ".env", secrets[i % secrets.size()], "secret");
      else
        repo.commit_file(dir + "/f" + std::to_string(i % 4) + ".txt", std::to_string(i) + "\n", "work");
    }
  }
  repo.git({"checkout", "-q", "main"});
  repo.git({"merge", "-q", "--no-ff", "-m", "merge", "one", "two", "three"});
  repo.git({"gc", "-q"});  // packed, so that the tree store holds the trees

  Session session;
  Repository handle = open_repository(repo.path().string());
  HistoryWalker walker(handle.get(), {});
  walker.add_ref_tips();
  walker.run();
  std::vector<git_oid> targets;
  for (const auto& s : secrets) {
    targets.emplace_back();
    git_oid_fromstr(&targets.back(), repo.blob_id(s).c_str());
  }
  const auto store = TreeStore::load(handle.get(), 2);
  ASSERT_GT(store->trees(), 100u);
  const auto origins = find_origins(handle.get(), walker.commits(), targets, {}, nullptr, 1);
  ASSERT_EQ(origins.size(), secrets.size());
  for (const auto& [blob, origin] : origins) EXPECT_EQ(origin.introductions, 3u);  // one a branch
  const std::string one = describe(origins);
  for (const TreeStore* trees : {static_cast<const TreeStore*>(nullptr), static_cast<const TreeStore*>(store.get())})
    for (unsigned threads : {1u, 2u, 4u})
      EXPECT_EQ(describe(find_origins(handle.get(), walker.commits(), targets, {}, trees, threads)), one)
          << threads << " threads, " << (trees ? "tree store" : "libgit2");
}

// Runs `work` on a thread with a stack of `bytes` (glibc gives a std::thread
// 2 MB when `ulimit -s` is unlimited; a worker of find_origins may get that).
void on_small_stack(std::size_t bytes, const std::function<void()>& work) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, bytes), 0);
  pthread_t thread;
  auto call = [](void* arg) -> void* {
    (*static_cast<const std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, call, const_cast<std::function<void()>*>(&work)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

// A tree that holds itself is followed down to kMaxTreeDepth (4,096) levels.
// The comparison used to recurse once a level (416 bytes a frame in a
// release build, more under ASan, which overflowed); it now keeps its levels
// on the heap, so 128 KiB of stack do, with objects loose or packed.
TEST(GitProvenance, TreeThatHoldsItselfNeedsLittleStack) {
  for (const bool packed : {false, true}) {
    SCOPED_TRACE(packed ? "packed" : "loose");
    GitRepo repo;
    const testing::LoopingHistory history = testing::add_looping_commit(repo);
    if (packed) repo.git({"repack", "-adq"});
    Session session;
    Repository handle = open_repository(repo.path().string());
    HistoryWalker walker(handle.get(), {});
    walker.add_ref_tips();
    walker.run();
    git_oid leak;
    git_oid_fromstr(&leak, history.leak_blob.c_str());
    const auto store = packed ? TreeStore::load(handle.get(), 1) : nullptr;
    std::map<git_oid, BlobOrigin, OidLess> origins;
    on_small_stack(128 * 1024, [&] { origins = find_origins(handle.get(), walker.commits(), {leak}, {}, store.get(), 1); });
    ASSERT_EQ(origins.size(), 1u);
    const BlobOrigin& origin = origins.begin()->second;
    EXPECT_TRUE(origin.found);
    EXPECT_EQ(to_hex(origin.commit), history.commit);
    EXPECT_EQ(origin.path, "leak.env");
    // One introduction a level: leak.env, loop/leak.env, loop/loop/leak.env...
    EXPECT_EQ(origin.introductions, kMaxTreeDepth);
  }
}

TEST(GitProvenance, CommitMetadata) {
  GitRepo repo;
  const std::string id = repo.commit_file("a", "a\n", "Subject line\n\nBody text");
  Session session;
  Repository handle = open_repository(repo.path().string());
  git_oid oid;
  git_oid_fromstr(&oid, id.c_str());
  git_commit* raw = nullptr;
  ASSERT_EQ(git_commit_lookup(&raw, handle.get(), &oid), 0);
  Commit commit(raw);
  const CommitMeta meta = commit_meta(commit.get());
  EXPECT_EQ(meta.id, id);
  EXPECT_EQ(meta.author, "Test Author");
  EXPECT_EQ(meta.email, "author@example.com");
  EXPECT_EQ(meta.summary, "Subject line");
  EXPECT_EQ(meta.date.size(), 20u);
  EXPECT_EQ(meta.date.substr(0, 11), "2024-05-01T");
  EXPECT_EQ(iso_utc(0), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace sentryscan::git
