// Trees for the history walk and for provenance, read once.
//
//   auto store = TreeStore::load(repo, threads);   // every tree of the packs, parsed once
//   TreeReader reader(repo, store.get());          // store may be null: libgit2 only
//   TreeEntries entries;
//   if (int rc = reader.read(tree_oid, entries); rc < 0) ...  // libgit2's error code
//   for (std::size_t i = 0; i < entries.size(); ++i) entries[i].name ...  // .mode, .type, *.id
//   std::optional<TreeEntry> same = entries.find("src");
//   CommitHead head;  read_commit_head(repo, store.get(), commit_oid, head);
//
// Why: walking a history and then working out where each finding's blob
// entered it read every tree through libgit2 twice, each read rebuilding its
// delta chain from a small base cache. On sentry-javascript (304,533 trees,
// 5.3 M entries) that was 2.5 s of walk and 2.9 s of provenance, both on one
// thread, against 3.1 s for scanning every blob on two. The store reads the
// trees with the pack reader (source/git/pack: pack order, each delta rebuilt
// once, on every thread) and keeps them as 8 bytes per entry: names interned,
// object ids as indexes into the packs' own sorted id tables.
//
// A tree the store does not hold (loose, in no pack, damaged, unsorted, over
// the store's budget) is read through libgit2, so nothing is lost and a
// missing or unreadable tree is reported as libgit2 reports it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "source/git/handle.h"

namespace sentryscan::git {

inline constexpr std::uint32_t kNoIndex = 0xffffffffu;

// How deep the walks go into nested trees: git's own core.maxTreeDepth. With
// hash checks off a hostile object database can make a tree hold itself; an
// unbounded walk then overflowed the stack.
inline constexpr unsigned kMaxTreeDepth = 4096;

struct TreeEntry {
  std::string_view name;
  git_filemode_t mode{};     // normalised, as git_tree_entry_filemode gives it
  git_object_t type{};       // as git_tree_entry_type gives it (from the raw mode)
  const git_oid* id = nullptr;  // lives as long as the store or the TreeEntries it came from
  std::uint32_t index = kNoIndex;  // the store's number for the object (ObjectSet)
};

class TreeStore;
class RepositoryPacks;

// A commit the store parsed: what the walk and provenance read of it.
struct StoredCommit {
  const git_oid* tree = nullptr;
  std::int64_t time = 0;                  // as git_commit_time gives it
  std::span<const std::uint32_t> parents;  // the store's numbers: TreeStore::id()
};

// One tree's entries in the tree's own order; valid until the next read into it.
class TreeEntries {
 public:
  std::size_t size() const;
  TreeEntry operator[](std::size_t i) const;
  // The entry called `name` (file or directory), as git_tree_entry_byname finds it.
  std::optional<TreeEntry> find(std::string_view name) const;

 private:
  friend class TreeReader;
  const TreeStore* store_ = nullptr;  // set: the entries are the store's
  const void* packed_ = nullptr;
  std::size_t count_ = 0;
  std::vector<TreeEntry> entries_;    // otherwise: libgit2's, from tree_
  Tree tree_;
};

class TreeStore {
 public:
  // Every tree of the repository's packs. Never fails: what it cannot read
  // is left to libgit2. `max_entries` bounds the memory (8 bytes an entry).
  static std::unique_ptr<TreeStore> load(git_repository* repo, unsigned threads,
                                         std::uint64_t max_entries = kDefaultMaxEntries);
  // The same from packs parsed already (the audit reads its blobs from them next).
  static std::unique_ptr<TreeStore> load(RepositoryPacks& packs, unsigned threads,
                                         std::uint64_t max_entries = kDefaultMaxEntries);
  static constexpr std::uint64_t kDefaultMaxEntries = 16u << 20;  // 128 MiB

  std::uint64_t trees() const { return trees_; }
  std::uint64_t entries() const { return entry_count_; }
  // Objects numbered: every id of the packs, then ids trees name that no pack holds.
  std::uint32_t object_count() const { return static_cast<std::uint32_t>(objects_.size() + extra_.size()); }
  // The number of `oid`, or kNoIndex.
  std::uint32_t index_of(const git_oid& oid) const;
  // The id numbered `index` (< object_count()).
  const git_oid& id(std::uint32_t index) const { return id_at(index); }
  // The commit `oid`, when the store parsed it (git_commit_lookup otherwise).
  std::optional<StoredCommit> commit(const git_oid& oid) const;
  std::uint64_t commits() const { return commits_.size(); }
  // The type of a packed object, from the pack's entry headers (what
  // git_odb_read_header would say), when its delta chain is whole. `index`:
  // the object's number when known (index_of), saving the lookup.
  std::optional<git_object_t> packed_type(const git_oid& oid, std::uint32_t index = kNoIndex) const;

  struct Builder;

 private:
  friend class TreeEntries;
  friend class TreeReader;
  friend class HoldsAny;
  struct CommitRecord {
    std::uint32_t tree = 0;
    std::uint32_t parents_begin = 0, parent_count = 0;
    std::int64_t time = 0;
  };
  struct Packed {
    std::uint32_t name;
    std::uint32_t ref;  // top 3 bits: raw mode (kModes in the .cpp); low 29: object index
  };
  static constexpr unsigned kIndexBits = 29;
  static constexpr std::uint32_t kIndexMask = (1u << kIndexBits) - 1;
  // Trees are kept in parts, one per thread that parsed them: begin_ holds
  // the part in its top 4 bits and the first entry in the low 28.
  static constexpr unsigned kBeginBits = 28;
  static constexpr unsigned kMaxParts = 16;
  static constexpr std::uint32_t kAbsent = 0xffffffffu;

  std::uint32_t pack_index_of(const git_oid& oid) const;  // kAbsent when in no pack
  const git_oid& id_at(std::uint32_t index) const;
  TreeEntry entry(const Packed& packed) const;
  // The stored tree `oid` (numbered `index`, or kNoIndex to look it up): its
  // first entry and count; false when not stored.
  bool find_tree(const git_oid& oid, std::uint32_t index, const Packed*& first, std::size_t& count) const;

  std::vector<git_oid> objects_;                // sorted: every id of every pack
  std::vector<std::uint32_t> fanout_;           // by the first two bytes of an id
  std::vector<git_oid> extra_;                  // ids entries name that no pack holds
  std::unordered_map<git_oid, std::uint32_t, OidHash, OidEqual> extra_index_;
  std::vector<std::uint32_t> begin_, count_;    // per object: its entries, when it is a stored tree
  std::vector<std::vector<Packed>> parts_;
  std::vector<std::uint8_t> kinds_;             // per object: pack::ObjectKind, 0 unknown
  std::vector<std::uint32_t> commit_slot_;      // per object: its record in commits_, when a stored commit
  std::vector<CommitRecord> commits_;
  std::vector<std::uint32_t> commit_parents_;
  std::uint64_t entry_count_ = 0;
  std::vector<std::string_view> names_;         // by name id, into name_chunks_
  std::vector<std::unique_ptr<char[]>> name_chunks_;
  std::uint64_t trees_ = 0;
};

// What the walk and provenance read of a commit.
struct CommitHead {
  git_oid tree{};
  std::int64_t time = 0;  // as git_commit_time gives it
  std::vector<git_oid> parents;
};

// The commit `oid` from `store` when it parsed it (55,659 libgit2 lookups
// saved on sentry-javascript, each rebuilding the object), otherwise through
// libgit2. 0, or the error code of git_commit_lookup.
int read_commit_head(git_repository* repo, const TreeStore* store, const git_oid& oid, CommitHead& out);

class TreeReader {
 public:
  TreeReader(git_repository* repo, const TreeStore* store) : repo_(repo), store_(store) {}
  // 0, or the error code of git_tree_lookup. `index`: the store's number
  // for `oid` when known (a TreeEntry's), saving the lookup (5 % of the
  // walk's samples on sentry-javascript, 16 % of the provenance's).
  int read(const git_oid& oid, TreeEntries& out, std::uint32_t index = kNoIndex) const;

 private:
  git_repository* repo_;
  const TreeStore* store_;
};

// Which stored trees hold any of a few blobs, anywhere below them, so
// provenance goes down only into directories that can hold a finding's
// blob (1,380 blobs on sentry-javascript; most directories hold none).
//
//   HoldsAny filter(store, targets);
//   if (!filter.may_hold(tree_id)) skip it;
class HoldsAny {
 public:
  HoldsAny(const TreeStore* store, const std::vector<git_oid>& blobs);
  // False only when the store holds the tree and everything below it, and none of the blobs.
  // A tree nested deeper than kMaxTreeDepth, or in a cycle, may hold them.
  bool may_hold(const git_oid& tree, std::uint32_t index = kNoIndex, unsigned depth = 0);

 private:
  const TreeStore* store_;
  std::vector<bool> blobs_;          // by the store's number
  std::vector<std::uint8_t> memo_;   // 0 not worked out, 1 holds none, 2 may hold
};

// A set of objects for walks: a bit per object the store numbers, a hash
// set for the rest (and for everything when there is no store).
class ObjectSet {
 public:
  explicit ObjectSet(const TreeStore* store) : store_(store), bits_(store ? store->object_count() : 0) {}
  // True when the object was not in the set before. `index`: the store's
  // number when known (a TreeEntry's), saving the lookup.
  bool insert(const git_oid& oid, std::uint32_t index = kNoIndex);
  bool contains(const git_oid& oid, std::uint32_t index = kNoIndex) const;

 private:
  std::uint32_t number(const git_oid& oid, std::uint32_t index) const {
    return index != kNoIndex || !store_ ? index : store_->index_of(oid);
  }
  const TreeStore* store_;
  std::vector<bool> bits_;
  OidSet others_;
};

}  // namespace sentryscan::git
