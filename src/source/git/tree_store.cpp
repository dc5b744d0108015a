#include "source/git/tree_store.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <string>
#include <unordered_map>

#include "source/git/pack_blobs.h"
#include "source/git/tree_parse.h"

namespace sentryscan::git {
namespace {

std::uint32_t fanout_key(const unsigned char* id) { return (std::uint32_t{id[0]} << 8) | id[1]; }

// Bytes 2-9 of an id as a number that orders as they do.
std::uint64_t next_bytes(const unsigned char* id) {
  std::uint64_t value = 0;
  std::memcpy(&value, id + 2, sizeof value);
  return __builtin_bswap64(value);
}


// The raw modes the store keeps (3 bits an entry): what git writes, and the
// group-writable files of 2005-era histories. A tree with any other mode is
// left to libgit2.
constexpr std::array<std::uint16_t, 6> kModes = {0040000, 0100644, 0100755, 0120000, 0160000, 0100664};

std::uint32_t mode_slot(std::uint32_t raw_mode) {
  const auto it = std::find(kModes.begin(), kModes.end(), raw_mode);
  return it == kModes.end() ? 0xffffffffu : static_cast<std::uint32_t>(it - kModes.begin());
}

constexpr std::uint64_t kMaxNameBytes = 32u << 20;

// Interned names: each kept once, in chunks that never move.
struct NameTable {
  std::vector<std::string_view> names;
  std::unordered_map<std::string_view, std::uint32_t> ids;
  std::vector<std::unique_ptr<char[]>> chunks;
  std::size_t left = 0;
  char* next = nullptr;
  std::uint64_t bytes = 0;  // of the names kept

  std::uint32_t intern(std::string_view name) {
    if (const auto it = ids.find(name); it != ids.end()) return it->second;
    if (left < name.size()) {
      left = std::max<std::size_t>(name.size(), 1u << 20);
      chunks.push_back(std::make_unique<char[]>(left));
      next = chunks.back().get();
    }
    std::memcpy(next, name.data(), name.size());
    const std::string_view kept(next, name.size());
    next += name.size();
    left -= name.size();
    bytes += name.size();
    const auto id = static_cast<std::uint32_t>(names.size());
    names.push_back(kept);
    ids.emplace(kept, id);
    return id;
  }
};

// Ids that entries name and no pack holds (a tree naming a loose or missing
// object), numbered after the packs' objects.
struct ExtraIds {
  std::vector<git_oid> ids;
  std::unordered_map<git_oid, std::uint32_t, OidHash, OidEqual> index;

  std::uint32_t add(const git_oid& oid, std::uint32_t first) {
    const auto [it, added] = index.emplace(oid, first + static_cast<std::uint32_t>(ids.size()));
    if (added) ids.push_back(oid);
    return it->second;
  }
};

}  // namespace

// Builds the store from the trees the pack reader hands over. Each worker
// parses into its own part (no lock: the two threads of a 2-core machine
// spent more time waking each other than parsing); the parts are joined at
// the end, with names and extra ids numbered once.
struct TreeStore::Builder {
  struct Part {
    std::vector<Packed> entries;
    NameTable names;
    ExtraIds extra;
    std::vector<std::array<std::uint32_t, 3>> trees;  // object index, first entry, entry count
    std::vector<RawEntry> raw;
    std::vector<std::pair<std::uint32_t, CommitRecord>> commits;  // object index, record
    std::vector<std::uint32_t> parents;
    RawCommit raw_commit;
  };

  Builder(TreeStore& s, std::uint64_t max, unsigned threads) : store(s), max_entries(max), parts(threads) {}
  TreeStore& store;
  std::uint64_t max_entries;
  std::vector<Part> parts;
  std::atomic<std::uint64_t> total{0};       // entries
  std::atomic<std::uint64_t> name_bytes{0};  // interned, in all parts

  void add(unsigned worker, std::uint32_t tree_index, std::string_view bytes) {
    Part& part = parts[worker];
    // Names are interned, but a hostile pack can make every one different
    // (and up to 64 KiB long): past kMaxNameBytes in all, trees are left
    // to libgit2. sentry-javascript's 8,862 names take 0.2 MB.
    if (name_bytes.load(std::memory_order_relaxed) > kMaxNameBytes) return;
    const std::uint64_t names_before = part.names.bytes;
    if (!parse_tree(bytes, part.raw) || !names_unique(part.raw)) return;
    if (total.fetch_add(part.raw.size(), std::memory_order_relaxed) + part.raw.size() > max_entries) return;
    const auto begin = part.entries.size();
    const auto first_extra = static_cast<std::uint32_t>(store.objects_.size());
    for (const RawEntry& e : part.raw) {
      const std::uint32_t slot = mode_slot(e.mode);
      git_oid oid;
      std::memcpy(oid.id, e.id, GIT_OID_RAWSZ);
      std::uint32_t index = store.pack_index_of(oid);
      if (index == kAbsent) index = part.extra.add(oid, first_extra);
      if (slot == kAbsent || index >= (1u << kIndexBits)) {
        part.entries.resize(begin);
        return;
      }
      part.entries.push_back({part.names.intern(e.name), (slot << kIndexBits) | index});
    }
    part.trees.push_back({tree_index, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(part.raw.size())});
    name_bytes.fetch_add(part.names.bytes - names_before, std::memory_order_relaxed);
  }

  std::uint32_t number(Part& part, const git_oid& oid) {
    const std::uint32_t index = store.pack_index_of(oid);
    return index != kAbsent ? index : part.extra.add(oid, static_cast<std::uint32_t>(store.objects_.size()));
  }

  void add_commit(unsigned worker, std::uint32_t commit_index, std::string_view bytes) {
    Part& part = parts[worker];
    if (!parse_commit(bytes, part.raw_commit)) return;
    CommitRecord record;
    record.tree = number(part, part.raw_commit.tree);
    record.time = part.raw_commit.time;
    record.parents_begin = static_cast<std::uint32_t>(part.parents.size());
    record.parent_count = static_cast<std::uint32_t>(part.raw_commit.parents.size());
    for (const git_oid& parent : part.raw_commit.parents) part.parents.push_back(number(part, parent));
    part.commits.emplace_back(commit_index, record);
  }

  // Each part's entries become one of the store's, renumbered in place:
  // no second copy of 43 MB (sentry-javascript) at the peak.
  void join() {
    NameTable names;
    ExtraIds extra;
    const auto first_extra = static_cast<std::uint32_t>(store.objects_.size());
    for (Part& part : parts) {
      const auto slot = static_cast<std::uint32_t>(store.parts_.size());
      std::vector<std::uint32_t> name_of(part.names.names.size());
      for (std::size_t i = 0; i < name_of.size(); ++i) name_of[i] = names.intern(part.names.names[i]);
      std::vector<std::uint32_t> extra_of(part.extra.ids.size());
      for (std::size_t i = 0; i < extra_of.size(); ++i) extra_of[i] = extra.add(part.extra.ids[i], first_extra);
      auto renumber = [&](std::uint32_t index) { return index >= first_extra ? extra_of[index - first_extra] : index; };
      for (auto& [commit, record] : part.commits) {
        if (store.commit_slot_[commit] != kAbsent) continue;
        record.tree = renumber(record.tree);
        const auto begin = static_cast<std::uint32_t>(store.commit_parents_.size());
        for (std::uint32_t p = 0; p < record.parent_count; ++p)
          store.commit_parents_.push_back(renumber(part.parents[record.parents_begin + p]));
        record.parents_begin = begin;
        store.commit_slot_[commit] = static_cast<std::uint32_t>(store.commits_.size());
        store.commits_.push_back(record);
      }
      for (Packed& entry : part.entries) {
        entry.name = name_of[entry.name];
        const std::uint32_t index = entry.ref & kIndexMask;
        if (index >= first_extra) entry.ref = (entry.ref & ~kIndexMask) | extra_of[index - first_extra];
      }
      for (const auto& [tree, begin, count] : part.trees) {
        if (store.begin_[tree] != kAbsent) continue;  // the same tree in two packs
        store.begin_[tree] = (slot << kBeginBits) | begin;
        store.count_[tree] = count;
        ++store.trees_;
      }
      store.entry_count_ += part.entries.size();
      store.parts_.push_back(std::move(part.entries));
      part = Part{};
    }
    store.names_ = std::move(names.names);
    store.name_chunks_ = std::move(names.chunks);
    store.extra_ = std::move(extra.ids);
    store.extra_index_ = std::move(extra.index);
  }
};

std::unique_ptr<TreeStore> TreeStore::load(git_repository* repo, unsigned threads, std::uint64_t max_entries) {
  RepositoryPacks packs(repo);
  return load(packs, threads, max_entries);
}

std::unique_ptr<TreeStore> TreeStore::load(RepositoryPacks& packs, unsigned threads, std::uint64_t max_entries) {
  auto store = std::make_unique<TreeStore>();
  threads = std::clamp(threads, 1u, kMaxParts);
  // A part's entry offsets are 28-bit; object indexes 29-bit.
  max_entries = std::min<std::uint64_t>(max_entries, std::uint64_t{1} << kBeginBits);
  store->objects_ = packs.object_ids();
  if (store->objects_.empty() || store->objects_.size() >= (1u << kIndexBits)) {
    store->objects_ = {};
    return store;
  }
  store->fanout_.assign((1u << 16) + 1, 0);
  for (const git_oid& oid : store->objects_) ++store->fanout_[fanout_key(oid.id) + 1];
  for (std::size_t k = 1; k < store->fanout_.size(); ++k) store->fanout_[k] += store->fanout_[k - 1];
  store->begin_.assign(store->objects_.size(), kAbsent);
  store->count_.assign(store->objects_.size(), 0);
  store->commit_slot_.assign(store->objects_.size(), kAbsent);

  Builder builder(*store, max_entries, threads);
  pack::ReadOptions options;
  options.threads = threads;
  options.kinds = pack::kind_bit(pack::ObjectKind::tree) | pack::kind_bit(pack::ObjectKind::commit);
  store->kinds_.assign(store->objects_.size(), 0);
  options.kinds_found = &store->kinds_;
  packs.read(store->objects_, options,
                        pack::DeltaBlobCallback([&builder](unsigned worker, std::size_t index, std::string_view bytes,
                                                           pack::BlobDelta& delta) {
                          if (delta.kind == pack::ObjectKind::tree)
                            builder.add(worker, static_cast<std::uint32_t>(index), bytes);
                          else
                            builder.add_commit(worker, static_cast<std::uint32_t>(index), bytes);
                        }));
  builder.join();
  return store;
}

std::uint32_t TreeStore::pack_index_of(const git_oid& oid) const {
  if (fanout_.empty()) return kAbsent;
  const std::uint32_t key = fanout_key(oid.id);
  // About 8 ids share two leading bytes when there are 500,000: a short
  // scan on the next 8 bytes as one number (5.4 M lookups while loading
  // sentry-javascript's trees), the rest compared only when those match.
  const std::uint64_t want = next_bytes(oid.id);
  for (std::uint32_t i = fanout_[key]; i < fanout_[key + 1]; ++i) {
    const std::uint64_t have = next_bytes(objects_[i].id);
    if (have > want) break;
    if (have == want && std::memcmp(objects_[i].id + 10, oid.id + 10, GIT_OID_RAWSZ - 10) == 0) return i;
  }
  return kAbsent;
}

std::uint32_t TreeStore::index_of(const git_oid& oid) const {
  if (const std::uint32_t at = pack_index_of(oid); at != kAbsent) return at;
  if (extra_.empty()) return kNoIndex;
  const auto it = extra_index_.find(oid);
  return it == extra_index_.end() ? kNoIndex : it->second;
}

const git_oid& TreeStore::id_at(std::uint32_t index) const {
  return index < objects_.size() ? objects_[index] : extra_[index - objects_.size()];
}

TreeEntry TreeStore::entry(const Packed& packed) const {
  const std::uint32_t raw_mode = kModes[packed.ref >> kIndexBits];
  const std::uint32_t index = packed.ref & kIndexMask;
  return {names_[packed.name], normalised(raw_mode), type_of(raw_mode), &id_at(index), index};
}

bool TreeStore::find_tree(const git_oid& oid, std::uint32_t index, const Packed*& first, std::size_t& count) const {
  // A number past the packed objects is an id no pack holds (extra_): never a stored tree.
  const std::uint32_t at = index != kNoIndex ? index : pack_index_of(oid);
  if (at == kAbsent || at >= begin_.size() || begin_[at] == kAbsent) return false;
  first = parts_[begin_[at] >> kBeginBits].data() + (begin_[at] & ((1u << kBeginBits) - 1));
  count = count_[at];
  return true;
}

int TreeReader::read(const git_oid& oid, TreeEntries& out, std::uint32_t index) const {
  out.tree_ = nullptr;
  out.entries_.clear();
  const TreeStore::Packed* first = nullptr;
  if (store_ && store_->find_tree(oid, index, first, out.count_)) {
    out.store_ = store_;
    out.packed_ = first;
    return 0;
  }
  out.store_ = nullptr;
  out.packed_ = nullptr;
  out.count_ = 0;
  git_tree* raw = nullptr;
  if (const int rc = git_tree_lookup(&raw, repo_, &oid); rc < 0) return rc;
  out.tree_ = Tree(raw);
  const std::size_t count = git_tree_entrycount(raw);
  out.entries_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(raw, i);
    out.entries_.push_back({git_tree_entry_name(entry), git_tree_entry_filemode(entry), git_tree_entry_type(entry),
                            git_tree_entry_id(entry)});
  }
  return 0;
}

std::size_t TreeEntries::size() const { return store_ ? count_ : entries_.size(); }

TreeEntry TreeEntries::operator[](std::size_t i) const {
  return store_ ? store_->entry(static_cast<const TreeStore::Packed*>(packed_)[i]) : entries_[i];
}

std::optional<TreeEntry> TreeEntries::find(std::string_view name) const {
  if (!store_) {
    if (!tree_) return std::nullopt;
    const git_tree_entry* entry = git_tree_entry_byname(tree_.get(), std::string(name).c_str());
    if (!entry) return std::nullopt;
    return TreeEntry{git_tree_entry_name(entry), git_tree_entry_filemode(entry), git_tree_entry_type(entry),
                     git_tree_entry_id(entry)};
  }
  // Stored trees are in tree order with no name twice (parse_tree, names_unique).
  for (const bool dir : {false, true}) {
    std::size_t lo = 0, hi = count_;
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      const TreeEntry e = (*this)[mid];
      if (tree_order(e.name, e.type == GIT_OBJECT_TREE, name, dir) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo < count_) {
      const TreeEntry e = (*this)[lo];
      if (e.name == name && (e.type == GIT_OBJECT_TREE) == dir) return e;
    }
  }
  return std::nullopt;
}

std::optional<StoredCommit> TreeStore::commit(const git_oid& oid) const {
  const std::uint32_t at = pack_index_of(oid);
  if (at == kAbsent || commit_slot_[at] == kAbsent) return std::nullopt;
  const CommitRecord& record = commits_[commit_slot_[at]];
  return StoredCommit{&id_at(record.tree), record.time,
                      std::span<const std::uint32_t>(commit_parents_.data() + record.parents_begin, record.parent_count)};
}

int read_commit_head(git_repository* repo, const TreeStore* store, const git_oid& oid, CommitHead& out) {
  out.parents.clear();
  if (const std::optional<StoredCommit> stored = store ? store->commit(oid) : std::nullopt) {
    out.tree = *stored->tree;
    out.time = stored->time;
    for (const std::uint32_t parent : stored->parents) out.parents.push_back(store->id(parent));
    return 0;
  }
  git_commit* raw = nullptr;
  if (const int rc = git_commit_lookup(&raw, repo, &oid); rc < 0) return rc;
  const Commit commit(raw);
  out.tree = *git_commit_tree_id(commit.get());
  out.time = git_commit_time(commit.get());
  for (unsigned p = 0; p < git_commit_parentcount(commit.get()); ++p)
    out.parents.push_back(*git_commit_parent_id(commit.get(), p));
  return 0;
}

HoldsAny::HoldsAny(const TreeStore* store, const std::vector<git_oid>& blobs) : store_(store) {
  if (!store_) return;
  blobs_.resize(store_->object_count());
  memo_.resize(store_->object_count());
  // A blob the store does not number is named by no stored tree.
  for (const git_oid& blob : blobs)
    if (const std::uint32_t index = store_->index_of(blob); index != kNoIndex) blobs_[index] = true;
}

bool HoldsAny::may_hold(const git_oid& tree, std::uint32_t index, unsigned depth) {
  if (!store_ || depth >= kMaxTreeDepth) return true;
  if (index == kNoIndex) index = store_->index_of(tree);
  if (index == kNoIndex || index >= memo_.size()) return true;
  if (memo_[index]) return memo_[index] == 2;
  memo_[index] = 2;  // while below: a tree that holds itself may hold them
  const TreeStore::Packed* first = nullptr;
  std::size_t count = 0;
  bool holds = !store_->find_tree(tree, index, first, count);  // not stored: cannot tell
  for (std::size_t i = 0; i < count && !holds; ++i) {
    const TreeEntry entry = store_->entry(first[i]);
    if (entry.type == GIT_OBJECT_BLOB)
      holds = blobs_[entry.index];
    else if (entry.type == GIT_OBJECT_TREE)
      holds = may_hold(*entry.id, entry.index, depth + 1);
  }
  memo_[index] = holds ? 2 : 1;
  return holds;
}

std::optional<git_object_t> TreeStore::packed_type(const git_oid& oid, std::uint32_t index) const {
  const std::uint32_t at = index != kNoIndex ? index : pack_index_of(oid);
  if (at == kAbsent || at >= kinds_.size() || kinds_[at] == 0) return std::nullopt;
  // pack::ObjectKind and git_object_t share the numbers git gives them.
  return static_cast<git_object_t>(kinds_[at]);
}

bool ObjectSet::insert(const git_oid& oid, std::uint32_t index) {
  index = number(oid, index);
  if (index == kNoIndex || index >= bits_.size()) return others_.insert(oid);
  if (bits_[index]) return false;
  bits_[index] = true;
  return true;
}

bool ObjectSet::contains(const git_oid& oid, std::uint32_t index) const {
  index = number(oid, index);
  if (index == kNoIndex || index >= bits_.size()) return others_.contains(oid);
  return bits_[index];
}

}  // namespace sentryscan::git
