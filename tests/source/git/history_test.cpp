// Blob enumeration over real repositories: every ref kind, deduplication,
// exclusions, shallow and damaged repositories. No matcher involved.
#include "source/git/history.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "source/git/blob_pool.h"
#include "support/fake_tokens.h"
#include "support/git_repo.h"

namespace sentryscan::git {
namespace {

using testing::fake_org_token;
using testing::GitRepo;

struct Walked {
  std::map<std::string, std::string> blobs;  // oid -> first path
  std::vector<std::string> problems;         // "object: message"
  std::size_t commits = 0;
  bool shallow = false;
  int blob_calls = 0;
};

Walked walk(const std::filesystem::path& path, bool all_objects = false,
            std::function<bool(std::string_view)> excluded = {}) {
  Session session;
  Repository repo = open_repository(path.string());
  Walked walked;
  WalkCallbacks callbacks;
  callbacks.blob = [&](const git_oid& oid, const std::string& p) {
    ++walked.blob_calls;
    walked.blobs.emplace(to_hex(oid), p);
  };
  callbacks.problem = [&](const std::string& object, const std::string& message) {
    walked.problems.push_back(object + ": " + message);
  };
  callbacks.excluded = std::move(excluded);
  HistoryWalker walker(repo.get(), callbacks);
  walker.add_ref_tips();
  if (all_objects) walker.add_all_objects();
  walker.run();
  walker.finish_unreachable_blobs();
  walked.commits = walker.commits().size();
  walked.shallow = walker.shallow();
  return walked;
}

std::string secret_file(std::string_view seed) { return "SENTRY_AUTH_TOKEN=" + fake_org_token(seed) + "\n"; }

TEST(GitHistory, FindsABlobDeletedInALaterCommit) {
  GitRepo repo;
  repo.commit_file("README.md", "hello\n", "init");
  repo.commit_file("deploy/env", secret_file("deleted"), "add env");
  repo.remove("deploy/env");
  repo.commit("remove env");
  const Walked walked = walk(repo.path());
  const std::string blob = repo.blob_id(secret_file("deleted"));
  ASSERT_TRUE(walked.blobs.contains(blob));
  EXPECT_EQ(walked.blobs.at(blob), "deploy/env");
  EXPECT_EQ(walked.commits, 3u);
  EXPECT_TRUE(walked.problems.empty());
}

TEST(GitHistory, ReadsEveryRefKind) {
  GitRepo repo;
  repo.commit_file("a.txt", "base\n", "init");
  // A non-default branch.
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.commit_file("branch.txt", secret_file("branch"), "on feature");
  repo.git({"checkout", "-q", "main"});
  // A tag on a commit no branch contains any more.
  repo.git({"checkout", "-q", "-b", "tmp"});
  repo.commit_file("tagged.txt", secret_file("tag"), "tagged");
  repo.git({"tag", "-a", "-m", "release", "v1"});
  repo.git({"checkout", "-q", "main"});
  repo.git({"branch", "-q", "-D", "tmp"});
  // A tag pointing straight at a blob.
  repo.write("loose.txt", secret_file("blob-tag"));
  const std::string tagged_blob = repo.git({"hash-object", "-w", "loose.txt"}).substr(0, 40);
  repo.remove("loose.txt");
  repo.git({"tag", "blobtag", tagged_blob});
  // Two stashes: the older one only lives in the stash reflog.
  repo.write("a.txt", secret_file("stash-old"));
  repo.git({"stash", "-q"});
  repo.write("a.txt", secret_file("stash-new"));
  repo.git({"stash", "-q"});
  // A note.
  repo.git({"notes", "add", "-m", secret_file("note"), "HEAD"});

  const Walked walked = walk(repo.path());
  EXPECT_TRUE(walked.problems.empty());
  EXPECT_EQ(walked.blobs.at(repo.blob_id(secret_file("branch"))), "branch.txt");
  EXPECT_EQ(walked.blobs.at(repo.blob_id(secret_file("tag"))), "tagged.txt");
  EXPECT_EQ(walked.blobs.at(tagged_blob), "refs/tags/blobtag");
  EXPECT_EQ(walked.blobs.at(repo.blob_id(secret_file("stash-old"))), "a.txt");
  EXPECT_EQ(walked.blobs.at(repo.blob_id(secret_file("stash-new"))), "a.txt");
  EXPECT_TRUE(walked.blobs.contains(repo.blob_id(secret_file("note"))));
}

TEST(GitHistory, EachBlobOnceAcrossBranchesAndPaths) {
  GitRepo repo;
  repo.commit_file("a.txt", "base\n", "init");
  repo.git({"checkout", "-q", "-b", "one"});
  repo.commit_file("x/secret.txt", secret_file("same"), "one");
  repo.git({"checkout", "-q", "main"});
  repo.git({"checkout", "-q", "-b", "two"});
  repo.commit_file("y/copy.txt", secret_file("same"), "two");
  const Walked walked = walk(repo.path());
  EXPECT_TRUE(walked.blobs.contains(repo.blob_id(secret_file("same"))));
  EXPECT_EQ(walked.blob_calls, static_cast<int>(walked.blobs.size()));
  EXPECT_EQ(walked.blobs.size(), 2u);  // "base\n" and the secret
}

TEST(GitHistory, DanglingCommitOnlyWithAllObjects) {
  GitRepo repo;
  repo.commit_file("a.txt", "base\n", "init");
  repo.commit_file("leak.txt", secret_file("dangling"), "oops");
  repo.git({"reset", "-q", "--hard", "HEAD~1"});
  // A blob that no commit ever contained.
  repo.write("staged-only.txt", secret_file("unreachable"));
  repo.git({"add", "staged-only.txt"});
  repo.git({"rm", "-q", "--cached", "staged-only.txt"});
  const std::string dangling = repo.blob_id(secret_file("dangling"));
  const std::string unreachable = repo.blob_id(secret_file("unreachable"));

  const Walked reachable = walk(repo.path());
  EXPECT_FALSE(reachable.blobs.contains(dangling));
  EXPECT_FALSE(reachable.blobs.contains(unreachable));

  const Walked all = walk(repo.path(), true);
  EXPECT_TRUE(all.problems.empty());
  ASSERT_TRUE(all.blobs.contains(dangling));
  EXPECT_EQ(all.blobs.at(dangling), "leak.txt");  // reached through the dangling commit
  ASSERT_TRUE(all.blobs.contains(unreachable));
  EXPECT_EQ(all.blobs.at(unreachable), "");
  EXPECT_EQ(all.commits, 2u);
}

TEST(GitHistory, EmptyRepositoryHasNothing) {
  GitRepo repo;
  const Walked walked = walk(repo.path());
  EXPECT_TRUE(walked.blobs.empty());
  EXPECT_EQ(walked.commits, 0u);
  EXPECT_TRUE(walked.problems.empty());
}

TEST(GitHistory, BareCloneAndLinkedWorktree) {
  GitRepo repo;
  repo.commit_file("a.txt", secret_file("bare"), "init");
  testing::TempDir dir;
  repo.git({"clone", "-q", "--bare", repo.path().string(), (dir.path() / "bare.git").string()});
  const Walked bare = walk(dir.path() / "bare.git");
  EXPECT_TRUE(bare.blobs.contains(repo.blob_id(secret_file("bare"))));

  // A commit only the detached HEAD of a linked worktree knows.
  repo.git({"worktree", "add", "-q", "--detach", (dir.path() / "wt").string()});
  GitRepo worktree(dir.path() / "wt");
  worktree.commit_file("wt.txt", secret_file("worktree"), "in worktree");
  EXPECT_TRUE(walk(repo.path()).blobs.contains(repo.blob_id(secret_file("worktree"))));
  // Opened from the worktree, the main HEAD's history is still walked.
  const Walked from_worktree = walk(dir.path() / "wt");
  EXPECT_TRUE(from_worktree.blobs.contains(repo.blob_id(secret_file("bare"))));
  EXPECT_TRUE(from_worktree.blobs.contains(repo.blob_id(secret_file("worktree"))));
}

TEST(GitHistory, ExclusionsDependingOnThePrefixDoNotHideOtherCopies) {
  GitRepo repo;
  repo.write("a/keys/k.txt", secret_file("prefix"));
  repo.write("b/keys/k.txt", secret_file("prefix"));
  repo.write("vendor/lib.txt", secret_file("vendor"));
  repo.commit("init");
  // `a/keys` and `b/keys` are the same tree; only the copy under a/ is excluded.
  const Walked walked =
      walk(repo.path(), false, [](std::string_view p) { return p == "a/keys/k.txt" || p == "vendor"; });
  const std::string blob = repo.blob_id(secret_file("prefix"));
  ASSERT_TRUE(walked.blobs.contains(blob));
  EXPECT_EQ(walked.blobs.at(blob), "b/keys/k.txt");
  EXPECT_FALSE(walked.blobs.contains(repo.blob_id(secret_file("vendor"))));
}

TEST(GitHistory, ShallowCloneStopsAtTheBoundaryWithoutErrors) {
  GitRepo repo;
  repo.commit_file("old.txt", secret_file("old"), "old");
  repo.commit_file("new.txt", "new\n", "new");
  testing::TempDir dir;
  repo.git({"clone", "-q", "--depth", "1", "file://" + repo.path().string(), (dir.path() / "shallow").string()});
  const Walked walked = walk(dir.path() / "shallow");
  EXPECT_TRUE(walked.shallow);
  EXPECT_TRUE(walked.problems.empty());
  EXPECT_EQ(walked.commits, 1u);
  // old.txt is still in HEAD's tree, so its blob is there.
  EXPECT_TRUE(walked.blobs.contains(repo.blob_id(secret_file("old"))));
}

TEST(GitHistory, MissingTreeIsAProblemNamingItAndTheWalkGoesOn) {
  GitRepo repo;
  repo.commit_file("dir/a.txt", "one\n", "one");
  repo.commit_file("other.txt", secret_file("survives"), "two");
  const std::string tree = repo.rev("HEAD~1:dir");
  std::filesystem::remove(repo.loose_object_path(tree));
  const Walked walked = walk(repo.path());
  ASSERT_EQ(walked.problems.size(), 1u);
  EXPECT_NE(walked.problems[0].find(tree), std::string::npos);
  EXPECT_TRUE(walked.blobs.contains(repo.blob_id(secret_file("survives"))));
}

TEST(GitBlobReader, MissingOversizeAndPresentBlobs) {
  GitRepo repo;
  repo.commit_file("a.txt", "small\n", "init");
  repo.commit_file("b.txt", std::string(4096, 'x'), "big");
  Session session;
  Repository handle = open_repository(repo.path().string());
  BlobReader reader(repository_path(handle.get()));
  git_oid oid;
  git_oid_fromstr(&oid, repo.blob_id("small\n").c_str());
  auto ok = reader.read(oid, 1000);
  ASSERT_EQ(ok.status, BlobReader::Status::ok);
  EXPECT_EQ(ok.data(), "small\n");
  git_oid_fromstr(&oid, repo.blob_id(std::string(4096, 'x')).c_str());
  EXPECT_EQ(reader.read(oid, 1000).status, BlobReader::Status::too_big);
  git_oid_fromstr(&oid, repo.rev("HEAD").c_str());
  EXPECT_EQ(reader.read(oid, 1000).status, BlobReader::Status::not_blob);
  std::filesystem::remove(repo.loose_object_path(repo.blob_id("small\n")));
  git_oid_fromstr(&oid, repo.blob_id("small\n").c_str());
  EXPECT_EQ(reader.read(oid, 1000).status, BlobReader::Status::missing);
}

TEST(GitBlobPool, EveryJobRunsOnceOnAValidWorker) {
  GitRepo repo;
  repo.commit_file("a.txt", "a\n", "init");
  Session session;
  Repository handle = open_repository(repo.path().string());
  std::mutex mutex;
  std::vector<int> seen(500, 0);
  std::set<unsigned> workers;
  BlobPool pool(repository_path(handle.get()), 3, [&](unsigned worker, BlobReader&, BlobJob& job) {
    std::lock_guard lock(mutex);
    ++seen[job.tag];
    workers.insert(worker);
  });
  for (std::uint64_t i = 0; i < seen.size(); ++i) pool.submit(BlobJob{{}, "", i});
  pool.finish();
  for (int count : seen) EXPECT_EQ(count, 1);
  for (unsigned w : workers) EXPECT_LT(w, 3u);
}

// What the audit does: refs and objects listed on another thread with
// another handle, while it parses the packs. The walk that follows must be
// the one the walker's own listing gives, in the same order: blobs are
// reported (and scanned) under the first path the walk meets them at.
TEST(GitHistory, ListingsFromAnotherHandleWalkInTheSameOrder) {
  GitRepo repo;
  repo.commit_file("a.txt", "base\n", "init");
  for (int i = 0; i < 4; ++i) {
    repo.git({"checkout", "-q", "-b", "topic-" + std::to_string(i), "main"});
    repo.commit_file("shared/" + std::to_string(i % 2) + ".env", secret_file("topic" + std::to_string(i)), "topic");
    repo.git({"tag", "-a", "-m", "t", "v" + std::to_string(i)});
  }
  repo.git({"checkout", "-q", "main"});
  // Dangling commits, some packed and some loose, holding one blob at two paths.
  for (int i = 0; i < 3; ++i) {
    repo.commit_file("left/" + std::to_string(i) + ".txt", secret_file("dangling"), "dangling");
    repo.commit_file("right/" + std::to_string(i) + ".txt", secret_file("dangling"), "dangling again");
    repo.git({"reset", "-q", "--hard", "HEAD~2"});
    if (i == 1) repo.git({"repack", "-q", "-a", "-d"});
  }

  struct Order {
    std::vector<std::pair<std::string, std::string>> blobs;  // in the order reported
    std::vector<std::string> commits, problems;
    std::vector<std::pair<std::string, std::string>> tips;
  };
  auto walk_with = [&](bool listed_elsewhere) {
    Session session;
    Repository handle = open_repository(repo.path().string());
    Order order;
    WalkCallbacks callbacks;
    callbacks.blob = [&](const git_oid& oid, const std::string& path) { order.blobs.emplace_back(to_hex(oid), path); };
    callbacks.problem = [&](const std::string& object, const std::string& message) {
      order.problems.push_back(object + ": " + message);
    };
    HistoryWalker walker(handle.get(), callbacks);
    if (listed_elsewhere) {
      RefListing refs;
      ObjectListing objects;
      std::thread lister([&] {
        Repository own = open_repository(repository_path(handle.get()));
        refs = list_refs(own.get());
        objects = list_all_objects(own.get());
      });
      lister.join();
      EXPECT_FALSE(refs.error);
      EXPECT_FALSE(objects.error);
      walker.add_ref_tips(refs);
      walker.add_all_objects(objects);
    } else {
      walker.add_ref_tips();
      walker.add_all_objects();
    }
    walker.run();
    walker.finish_unreachable_blobs();
    for (const git_oid& commit : walker.commits()) order.commits.push_back(to_hex(commit));
    for (const auto& [name, oid] : walker.named_tips()) order.tips.emplace_back(name, to_hex(oid));
    return order;
  };
  const Order own = walk_with(false), elsewhere = walk_with(true);
  EXPECT_EQ(own.commits.size(), 11u);  // init, 4 topic commits and 6 dangling ones
  EXPECT_EQ(elsewhere.blobs, own.blobs);
  EXPECT_EQ(elsewhere.commits, own.commits);
  EXPECT_EQ(elsewhere.problems, own.problems);
  EXPECT_EQ(elsewhere.tips, own.tips);
}

}  // namespace
}  // namespace sentryscan::git
