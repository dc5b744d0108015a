// Reads the blobs of one git pack (.pack + .idx version 2) directly, without
// libgit2: each delta is resolved once from its base, the way `git index-pack`
// does (a first pass reads object headers only and gives each base its
// children; then each wanted chain is inflated from its root depth-first on
// worker threads, holding only the current path). The bytes are untrusted and
// no hash is checked: every offset, size and delta instruction is bounds
// checked, and anything the reader cannot resolve is simply not emitted.
//
//   std::vector<pack::ObjectId> wanted = ...;           // sorted, unique
//   std::vector<std::uint8_t> done(wanted.size());
//   pack::ReadResult r = pack::read_pack_blobs(pack_path, idx_path, wanted, done, options,
//       [&](unsigned worker, std::size_t i, std::string_view bytes) { ... });
//   // every wanted[i] with done[i] == 0 must be read another way (libgit2)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "source/git/pack/delta.h"

namespace sentryscan::git::pack {

using ObjectId = std::array<unsigned char, 20>;

enum class ObjectKind : std::uint8_t { commit = 1, tree = 2, blob = 3, tag = 4 };
constexpr unsigned kind_bit(ObjectKind kind) { return 1u << static_cast<unsigned>(kind); }

struct ReadOptions {
  unsigned threads = 1;
  // The kinds of object the reader rebuilds and hands over (kind_bit of
  // each): blobs for the audit's scan, commits and trees for the tree store
  // (source/git/tree_store.h).
  unsigned kinds = kind_bit(ObjectKind::blob);
  // Hand each delta's copies and inserts over (BlobDelta::ops), for the
  // delta scan; otherwise they are not recorded (one push_back per op).
  bool record_ops = false;
  // When set (sized like `wanted`): the kind (an ObjectKind value) of every
  // wanted id whose delta chain reaches a whole object in the pack, rebuilt
  // or not, from the entry headers alone; 0 where it does not.
  std::vector<std::uint8_t>* kinds_found = nullptr;
  // Objects (blobs and delta bases alike) larger than this are not rebuilt:
  // they and the deltas based on them are left to the caller's fallback,
  // which reports oversized blobs as it always did.
  std::uint64_t max_object_size = 50ull << 20;
  // Bytes of rebuilt objects one thread may hold along its current delta path
  // (a base is kept only while it has children left). A subtree that would
  // exceed it is left to the fallback.
  std::uint64_t max_held_bytes = 96ull << 20;
  // git's own default is 50 (pack.depth); aggressive repacks use 250.
  unsigned max_delta_depth = 10000;
};

struct ReadStats {
  std::uint64_t objects = 0;          // entries in the index
  std::uint64_t emitted = 0;          // wanted blobs handed to the callback
  std::uint64_t deltas_applied = 0;   // deltas rebuilt (each once)
  std::uint64_t damaged = 0;          // entries that failed to parse, inflate or apply
  std::uint64_t over_limit = 0;       // subtrees left over for size, held bytes or depth
};

struct ReadResult {
  bool opened = false;  // false: the pair was not read at all (see error)
  std::string error;
  ReadStats stats;
};

// Called on worker `worker` (< options.threads) for each wanted blob found;
// `bytes` are valid during the call only. Exceptions stop the read and are
// rethrown from read_pack_blobs.
using BlobCallback = std::function<void(unsigned worker, std::size_t wanted_index, std::string_view bytes)>;

// For a caller that can reuse the work done on a delta's base (the audit
// scans only what a delta changed: source/git/audit/delta_scan.h). `state` is a
// slot the callback may fill for this blob; the reader keeps it while the
// deltas based on this blob are resolved, then hands it to each of them as
// `base_state` with the ops that rebuilt it; `state` is null when no delta
// to rebuild is based on this blob. `base_state` is null for an object
// stored whole, and points to an empty slot when the base was not handed
// over (not wanted) or its callback left nothing.
struct BlobDelta {
  std::span<const DeltaOp> ops;
  const std::shared_ptr<const void>* base_state = nullptr;
  std::shared_ptr<const void>* state = nullptr;
  ObjectKind kind = ObjectKind::blob;  // of the object handed over
};
using DeltaBlobCallback =
    std::function<void(unsigned worker, std::size_t wanted_index, std::string_view bytes, BlobDelta& delta)>;

// A pack and its index, parsed once (every entry header, deltas linked to
// their bases) for any number of reads: the audit reads trees and commits
// first (tree_store.h), then blobs, from the same table.
class PackFile {
 public:
  // nullopt (with `error`) when the pair is not a readable version 2 index of this pack.
  static std::optional<PackFile> open(const std::string& pack_path, const std::string& idx_path, std::string& error);
  static std::optional<PackFile> open(int pack_fd, int idx_fd, std::string& error);  // descriptors not kept
  PackFile(PackFile&&) noexcept;
  ~PackFile();
  // As read_pack_blobs below.
  ReadResult read(std::span<const ObjectId> wanted, std::vector<std::uint8_t>& done, const ReadOptions& options,
                  const DeltaBlobCallback& emit);
  // The ids the index lists, in its order (sorted, unless it is damaged).
  std::span<const ObjectId> ids() const;

 private:
  PackFile();
  struct Loaded;
  std::unique_ptr<Loaded> loaded_;
};

// `wanted` must be sorted and unique; done[i] is set to 1 for each wanted[i]
// emitted (and left alone otherwise; done.size() == wanted.size()). Entries
// already done are not emitted again.
ReadResult read_pack_blobs(const std::string& pack_path, const std::string& idx_path,
                           std::span<const ObjectId> wanted, std::vector<std::uint8_t>& done,
                           const ReadOptions& options, const BlobCallback& emit);

ReadResult read_pack_blobs(const std::string& pack_path, const std::string& idx_path,
                           std::span<const ObjectId> wanted, std::vector<std::uint8_t>& done,
                           const ReadOptions& options, const DeltaBlobCallback& emit);

// The same on open file descriptors (not closed), for the fuzz target.
ReadResult read_pack_blobs_fd(int pack_fd, int idx_fd, std::span<const ObjectId> wanted,
                              std::vector<std::uint8_t>& done, const ReadOptions& options,
                              const BlobCallback& emit);
ReadResult read_pack_blobs_fd(int pack_fd, int idx_fd, std::span<const ObjectId> wanted,
                              std::vector<std::uint8_t>& done, const ReadOptions& options,
                              const DeltaBlobCallback& emit);

}  // namespace sentryscan::git::pack
