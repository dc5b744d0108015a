// The tree store (source/git/tree_store.h) against libgit2, object by object,
// on every repository shape the suite builds (support/pack_shapes.h): each
// tree it reads has libgit2's entries and finds what git_tree_entry_byname
// finds, each commit it parsed has libgit2's tree, parents and time, and on
// an intact repository it holds every packed tree and commit git writes and
// knows the type of every packed object.
#include "source/git/tree_store.h"

#include <gtest/gtest.h>

#include "source/git/pack_order.h"
#include "support/pack_shapes.h"

namespace sentryscan::git {
namespace {

const std::vector<testing::PackShape>& shapes() {
  static const std::vector<testing::PackShape> built = testing::build_pack_shapes();
  return built;
}

std::vector<std::pair<git_oid, git_object_t>> every_object(git_repository* repo) {
  git_odb* raw = nullptr;
  EXPECT_EQ(git_repository_odb(&raw, repo), 0);
  Odb odb(raw);
  std::vector<git_oid> ids;
  git_odb_foreach(
      odb.get(),
      [](const git_oid* id, void* payload) {
        static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
        return 0;
      },
      &ids);
  std::vector<std::pair<git_oid, git_object_t>> out;
  for (const git_oid& id : ids) {
    std::size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&size, &type, odb.get(), &id) == 0) out.emplace_back(id, type);
  }
  return out;
}

void expect_same(const std::optional<TreeEntry>& a, const std::optional<TreeEntry>& b, std::string_view name) {
  ASSERT_EQ(a.has_value(), b.has_value()) << name;
  if (!a) return;
  EXPECT_EQ(a->name, b->name);
  EXPECT_EQ(a->mode, b->mode) << name;
  EXPECT_EQ(a->type, b->type) << name;
  EXPECT_TRUE(git_oid_equal(a->id, b->id)) << name;
}

// Returns how many of the trees were read from the store. `index`: the
// store's number for `id`, as the walk passes it, or kNoIndex.
std::size_t expect_tree_equal(const TreeReader& stored, const TreeReader& plain, const git_oid& id,
                              std::uint32_t index = kNoIndex) {
  TreeEntries a, b;
  const int rc_a = stored.read(id, a, index), rc_b = plain.read(id, b);
  EXPECT_EQ(rc_a < 0, rc_b < 0) << to_hex(id);
  if (rc_a < 0 || rc_b < 0) return 0;
  EXPECT_EQ(a.size(), b.size()) << to_hex(id);
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    SCOPED_TRACE(to_hex(id) + " entry " + std::to_string(i));
    expect_same(a[i], b[i], b[i].name);
    expect_same(a.find(b[i].name), b.find(b[i].name), b[i].name);
  }
  expect_same(a.find("no such entry"), b.find("no such entry"), "no such entry");
  return 1;
}

TEST(GitTreeStore, EveryTreeAndCommitEqualsLibgit2sOnEveryRepositoryShape) {
  for (const testing::PackShape& shape : shapes()) {
    SCOPED_TRACE(shape.name);
    Session session;
    Repository repo = open_repository(shape.path.string());
    const auto store = TreeStore::load(repo.get(), 2);
    const TreeReader stored(repo.get(), store.get()), plain(repo.get(), nullptr);
    const PackOrder order(repo.get());
    std::size_t packed_trees = 0, packed_commits = 0, stored_commits = 0;
    std::size_t packed_objects = 0, typed = 0;
    for (const auto& [id, type] : every_object(repo.get())) {
      const bool packed = order.position(id).first < order.packs();
      packed_objects += packed;
      if (const std::optional<git_object_t> known = store->packed_type(id)) {
        ++typed;
        EXPECT_EQ(*known, type) << to_hex(id);
      }
      if (type == GIT_OBJECT_TREE) {
        packed_trees += packed;
        expect_tree_equal(stored, plain, id);
        expect_tree_equal(stored, plain, id, store->index_of(id));
      } else if (type == GIT_OBJECT_COMMIT) {
        packed_commits += packed;
        const std::optional<StoredCommit> commit = store->commit(id);
        if (!commit) continue;
        ++stored_commits;
        git_commit* raw = nullptr;
        ASSERT_EQ(git_commit_lookup(&raw, repo.get(), &id), 0) << to_hex(id);
        Commit expected(raw);
        EXPECT_TRUE(git_oid_equal(commit->tree, git_commit_tree_id(expected.get()))) << to_hex(id);
        EXPECT_EQ(commit->time, git_commit_time(expected.get())) << to_hex(id);
        ASSERT_EQ(commit->parents.size(), git_commit_parentcount(expected.get())) << to_hex(id);
        for (unsigned p = 0; p < commit->parents.size(); ++p)
          EXPECT_TRUE(git_oid_equal(&store->id(commit->parents[p]), git_commit_parent_id(expected.get(), p)));
      }
    }
    if (shape.damaged) continue;
    // Intact: every packed tree and commit git writes is in the store; the
    // odd shape's unsorted tree, its tree with a name twice and its commit
    // without time zones are not (its 100664 mode is kept, as libgit2 reads it).
    const bool odd = shape.name == "odd trees and commits";
    EXPECT_EQ(typed, packed_objects);
    EXPECT_EQ(store->trees(), packed_trees - (odd ? 2 : 0));
    EXPECT_EQ(stored_commits, packed_commits - (odd ? 1 : 0));
    if (shape.name != "loose only") {
      EXPECT_GT(store->trees(), 2u);
    }
  }
}

TEST(GitTreeStore, OverItsBudgetTreesAreReadThroughLibgit2) {
  const testing::PackShape& shape = shapes().at(1);  // repacked, OFS_DELTA chains
  Session session;
  Repository repo = open_repository(shape.path.string());
  const auto full = TreeStore::load(repo.get(), 2);
  const auto small = TreeStore::load(repo.get(), 1, 12);
  EXPECT_GT(full->trees(), small->trees());
  EXPECT_LE(small->entries(), 12u);
  const TreeReader stored(repo.get(), small.get()), plain(repo.get(), nullptr);
  std::size_t trees = 0;
  for (const auto& [id, type] : every_object(repo.get()))
    if (type == GIT_OBJECT_TREE) {
      trees += expect_tree_equal(stored, plain, id);
      // By number too: a tree past the budget is numbered but not stored.
      EXPECT_EQ(expect_tree_equal(stored, plain, id, small->index_of(id)), expect_tree_equal(stored, plain, id));
    }
  EXPECT_EQ(trees, full->trees());
}

TEST(GitTreeStore, HoldsAnyRulesOutOnlyTreesWithNoneOfTheBlobsBelow) {
  testing::GitRepo repo;
  repo.write("a/deep/secret.env", "TOKEN=1\n");
  repo.write("b/plain.txt", "nothing\n");
  repo.commit("one");
  repo.git({"repack", "-adq"});
  Session session;
  Repository handle = open_repository(repo.path().string());
  const auto store = TreeStore::load(handle.get(), 1);
  auto oid = [&](const std::string& rev) {
    git_oid id;
    EXPECT_EQ(git_oid_fromstr(&id, repo.rev(rev).c_str()), 0);
    return id;
  };
  HoldsAny holds(store.get(), {oid("HEAD:a/deep/secret.env")});
  EXPECT_TRUE(holds.may_hold(oid("HEAD^{tree}")));
  EXPECT_TRUE(holds.may_hold(oid("HEAD:a")));
  EXPECT_TRUE(holds.may_hold(oid("HEAD:a/deep")));
  EXPECT_FALSE(holds.may_hold(oid("HEAD:b")));
  HoldsAny none(store.get(), {});
  EXPECT_FALSE(none.may_hold(oid("HEAD^{tree}")));
  // Without a store nothing can be ruled out.
  HoldsAny blind(nullptr, {});
  EXPECT_TRUE(blind.may_hold(oid("HEAD:b")));
}

TEST(GitTreeStore, ObjectSetIsOneSetWhicheverWayAnObjectIsNamed) {
  const testing::PackShape& shape = shapes().at(1);
  Session session;
  Repository repo = open_repository(shape.path.string());
  const auto store = TreeStore::load(repo.get(), 1);
  TreeEntries root;
  git_oid head;
  ASSERT_EQ(git_reference_name_to_id(&head, repo.get(), "HEAD"), 0);
  ASSERT_TRUE(store->commit(head));
  ASSERT_EQ(TreeReader(repo.get(), store.get()).read(*store->commit(head)->tree, root), 0);
  ASSERT_GT(root.size(), 0u);
  const TreeEntry entry = root[0];
  ASSERT_NE(entry.index, kNoIndex);
  ObjectSet set(store.get());
  EXPECT_TRUE(set.insert(*entry.id, entry.index));
  EXPECT_FALSE(set.insert(*entry.id));  // by id: the same object
  EXPECT_TRUE(set.contains(*entry.id));
  git_oid absent;
  ASSERT_EQ(git_oid_fromstr(&absent, "0123456789012345678901234567890123456789"), 0);
  EXPECT_FALSE(set.contains(absent));
  EXPECT_TRUE(set.insert(absent));
  EXPECT_TRUE(set.contains(absent));
}

}  // namespace
}  // namespace sentryscan::git
