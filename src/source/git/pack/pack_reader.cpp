#include "source/git/pack/pack_reader.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "source/git/pack/delta.h"
#include "source/git/pack/pack_table.h"

namespace sentryscan::git::pack {
namespace {

struct Fd {
  int fd = -1;
  explicit Fd(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

struct Decompressor {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::vector<unsigned char> input;  // the compressed stream, read with pread
  ~Decompressor() { libdeflate_free_decompressor(d); }
  Decompressor() = default;
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;
};

// How far a zlib stream of `size` bytes may reach: zlib's own compressBound
// (deflate at any level, stored blocks included) plus the 2-byte header and
// the adler32. A stream that needs more is damage and fails to inflate.
std::uint64_t stream_bound(std::uint64_t size) {
  return size + (size >> 12) + (size >> 14) + (size >> 25) + 13 + 6;
}

struct Stats {
  std::atomic<std::uint64_t> emitted{0}, deltas{0}, damaged{0}, over_limit{0};
};

class Resolver {
 public:
  Resolver(PackTable& table, std::vector<std::uint8_t>& done, const ReadOptions& options, const DeltaBlobCallback& emit,
           Stats& stats)
      : table_(table), done_(done), options_(options), emit_(emit), stats_(stats) {}

  // Resolves the chains below every wanted blob root; roots are taken in
  // pack order by whichever thread is free.
  void run(const std::vector<std::uint32_t>& roots, unsigned threads) {
    std::atomic<std::size_t> next{0};
    auto work = [&](unsigned worker) {
      Decompressor inflater;
      if (!inflater.d) throw std::bad_alloc();
      for (;;) {
        if (stop_.load(std::memory_order_relaxed)) return;
        const std::size_t i = next.fetch_add(1);
        if (i >= roots.size()) return;
        resolve(worker, inflater, roots[i]);
      }
    };
    auto guarded = [&](unsigned worker) {
      try {
        work(worker);
      } catch (...) {
        std::lock_guard lock(error_mutex_);
        if (!error_) error_ = std::current_exception();
        stop_ = true;
      }
    };
    if (threads <= 1) {
      guarded(0);
    } else {
      std::vector<std::thread> pool;
      for (unsigned w = 0; w < threads; ++w) pool.emplace_back(guarded, w);
      for (auto& t : pool) t.join();
    }
    if (error_) std::rethrow_exception(error_);
  }

 private:
  struct Frame {
    std::uint32_t entry;
    std::uint32_t next_child;
    unsigned depth;
    std::vector<unsigned char> data;
    std::shared_ptr<const void> state;  // what the callback left for this object's deltas
  };

  std::uint32_t next_needed(std::uint32_t child) const {
    while (child != kNone && !table_.entries[child].needed) child = table_.entries[child].next_sibling;
    return child;
  }

  // Inflates entry `e`'s stream into `out`, which must come out exactly `size` bytes.
  bool inflate(Decompressor& inflater, std::uint32_t e, std::uint64_t size, std::vector<unsigned char>& out) {
    const Entry& entry = table_.entries[e];
    const std::uint64_t start = entry.offset + entry.header_size;
    const std::uint64_t length = std::min(table_.stream_end(e) - start, stream_bound(size));
    if (length < 2) return false;
    if (inflater.input.size() < length) inflater.input.resize(static_cast<std::size_t>(length));
    if (!read_exactly(table_.file.fd, start, inflater.input.data(), static_cast<std::size_t>(length))) return false;
    const unsigned char* in = inflater.input.data();
    // zlib header: deflate, window <= 32 KiB, check bits, no preset dictionary.
    if ((in[0] & 0x0f) != 8 || (in[0] >> 4) > 7 || ((in[0] << 8) | in[1]) % 31 != 0 || (in[1] & 0x20)) return false;
    out.resize(static_cast<std::size_t>(size));
    unsigned char empty = 0;
    std::size_t used = 0;
    // Raw deflate after the 2-byte header: the adler32 after the stream is
    // not checked (libgit2 does not check it either).
    return libdeflate_deflate_decompress_ex(inflater.d, in + 2, static_cast<std::size_t>(length - 2),
                                            size ? out.data() : &empty, static_cast<std::size_t>(size), &used,
                                            nullptr) == LIBDEFLATE_SUCCESS;
  }

  // `state` is null when nothing is based on this object: no slot to fill.
  void emit(unsigned worker, std::uint32_t e, const std::vector<unsigned char>& data, std::span<const DeltaOp> ops,
            const std::shared_ptr<const void>* base_state, std::shared_ptr<const void>* state, ObjectKind kind) {
    const std::uint32_t w = table_.entries[e].wanted;
    if (w == kNone) return;
    BlobDelta delta{ops, base_state, state, kind};
    emit_(worker, w, {reinterpret_cast<const char*>(data.data()), data.size()}, delta);
    done_[w] = 1;
    stats_.emitted.fetch_add(1, std::memory_order_relaxed);
  }

  void resolve(unsigned worker, Decompressor& inflater, std::uint32_t root) {
    const Entry& entry = table_.entries[root];
    const auto kind = static_cast<ObjectKind>(entry.type);  // a delta is of its root's kind
    if (entry.size > options_.max_object_size || entry.size > options_.max_held_bytes) {
      stats_.over_limit.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    std::vector<Frame> stack;
    Frame first{root, next_needed(entry.first_child), 0, {}, {}};
    if (!inflate(inflater, root, entry.size, first.data)) {
      stats_.damaged.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    emit(worker, root, first.data, {}, nullptr, first.next_child == kNone ? nullptr : &first.state, kind);
    if (first.next_child == kNone) return;
    std::uint64_t held = first.data.size();
    stack.push_back(std::move(first));
    std::vector<unsigned char> delta, result;
    std::vector<DeltaOp> ops;
    while (!stack.empty()) {
      if (stop_.load(std::memory_order_relaxed)) return;
      Frame& top = stack.back();
      const std::uint32_t child = top.next_child;
      if (child == kNone) {
        held -= top.data.size();
        stack.pop_back();
        continue;
      }
      top.next_child = next_needed(table_.entries[child].next_sibling);
      const unsigned depth = top.depth + 1;
      const Entry& c = table_.entries[child];
      // The delta itself is bounded like an object: it is at most as large as
      // the result plus its opcodes, and hostile headers can claim anything.
      if (c.size > options_.max_object_size + (options_.max_object_size >> 4) + 64 || depth > options_.max_delta_depth) {
        stats_.over_limit.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (!inflate(inflater, child, c.size, delta)) {
        stats_.damaged.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      const auto sizes = delta_sizes(delta);
      if (!sizes) {
        stats_.damaged.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (sizes->result > options_.max_object_size || held + sizes->result > options_.max_held_bytes) {
        stats_.over_limit.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      if (!apply_delta(top.data, delta, *sizes, result, options_.record_ops ? &ops : nullptr)) {
        stats_.damaged.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      stats_.deltas.fetch_add(1, std::memory_order_relaxed);
      // The last child of a base no longer needs the base: free it before
      // going deeper, so a straight chain holds two objects, not its length.
      // (Its state is small and is kept until the child is emitted.)
      const std::shared_ptr<const void> base_state = top.state;
      if (top.next_child == kNone) {
        held -= top.data.size();
        stack.pop_back();
      }
      std::shared_ptr<const void> state;
      const std::uint32_t grandchild = next_needed(c.first_child);
      emit(worker, child, result, ops, &base_state, grandchild == kNone ? nullptr : &state, kind);
      if (grandchild == kNone) continue;
      held += result.size();
      stack.push_back(Frame{child, grandchild, depth, std::move(result), std::move(state)});
      result = {};
    }
  }

  PackTable& table_;
  std::vector<std::uint8_t>& done_;
  const ReadOptions& options_;
  const DeltaBlobCallback& emit_;
  Stats& stats_;
  std::atomic<bool> stop_{false};
  std::mutex error_mutex_;
  std::exception_ptr error_;
};

constexpr std::uint32_t kOrphan = kNone - 1;  // in a cycle, or past max_depth

// For each wanted entry, and each entry on its way down: the entry its chain
// of bases starts at (a whole object, or a damaged entry or a delta whose
// base is not in the pack), or kOrphan. Each entry is climbed once.
std::vector<std::uint32_t> chain_roots(const PackTable& table, unsigned max_depth) {
  const auto n = static_cast<std::uint32_t>(table.entries.size());
  constexpr std::uint32_t kOnPath = kNone - 2;
  std::vector<std::uint32_t> root_of(n, kNone);
  std::vector<std::uint32_t> path;
  for (std::uint32_t e = 0; e < n; ++e) {
    if (table.entries[e].wanted == kNone) continue;
    path.clear();
    std::uint32_t at = e, root = kOrphan;
    for (;;) {
      if (root_of[at] == kOnPath) break;  // a cycle
      if (root_of[at] != kNone) {
        root = root_of[at];
        break;
      }
      path.push_back(at);
      root_of[at] = kOnPath;
      if (table.entries[at].base == kNone) {
        root = at;
        break;
      }
      if (path.size() > max_depth) break;
      at = table.entries[at].base;
    }
    for (const std::uint32_t p : path) root_of[p] = root;
  }
  return root_of;
}

// Roots with the most wanted blobs below them first: a chain is rebuilt and
// scanned on one thread, so a file with thousands of versions started last
// would leave the other threads idle at the end (longest job first).
void order_largest_first(const PackTable& table, const std::vector<std::uint32_t>& root_of,
                         std::vector<std::uint32_t>& roots) {
  std::vector<std::uint32_t> weight(table.entries.size(), 0);
  for (std::uint32_t e = 0; e < table.entries.size(); ++e)
    if (table.entries[e].wanted != kNone && root_of[e] != kOrphan) ++weight[root_of[e]];
  std::stable_sort(roots.begin(), roots.end(), [&](std::uint32_t a, std::uint32_t b) { return weight[a] > weight[b]; });
}

// The kind of each wanted entry: that of the whole object its chain of
// bases starts at (a cycle, a damaged root, a missing base or a chain past
// max_depth: none).
void record_kinds(const PackTable& table, const std::vector<std::uint32_t>& root_of, std::vector<std::uint8_t>& kinds) {
  for (std::uint32_t e = 0; e < table.entries.size(); ++e) {
    const std::uint32_t w = table.entries[e].wanted;
    if (w == kNone || w >= kinds.size()) continue;
    const auto type = root_of[e] == kOrphan ? 0u : static_cast<unsigned>(table.entries[root_of[e]].type);
    kinds[w] = type >= 1 && type <= 4 ? static_cast<std::uint8_t>(type) : 0;
  }
}

}  // namespace

ReadResult read_pack_blobs_fd(int pack_fd, int idx_fd, std::span<const ObjectId> wanted,
                              std::vector<std::uint8_t>& done, const ReadOptions& options,
                              const BlobCallback& emit) {
  return read_pack_blobs_fd(pack_fd, idx_fd, wanted, done, options,
                            DeltaBlobCallback([&emit](unsigned worker, std::size_t i, std::string_view bytes, BlobDelta&) {
                              emit(worker, i, bytes);
                            }));
}

namespace {

// One read of a loaded table: marks what `wanted` needs, rebuilds it.
ReadResult read_table(PackTable& table, std::span<const ObjectId> wanted, std::vector<std::uint8_t>& done,
                      const ReadOptions& options, const DeltaBlobCallback& emit) {
  ReadResult result;
  result.opened = true;
  mark_wanted(table, wanted, done);
  // Chains are only rebuilt from roots of the kind asked for: a wanted id
  // whose chain starts at another kind of object is not one, and the
  // fallback says so.
  std::vector<std::uint32_t> roots;
  for (std::uint32_t e = 0; e < table.entries.size(); ++e) {
    const Entry& entry = table.entries[e];
    const unsigned type = static_cast<unsigned>(entry.type);
    if (entry.needed && type >= 1 && type <= 4 && (options.kinds & (1u << type))) roots.push_back(e);
  }
  const std::vector<std::uint32_t> root_of = chain_roots(table, options.max_delta_depth);
  order_largest_first(table, root_of, roots);
  if (options.kinds_found) record_kinds(table, root_of, *options.kinds_found);
  Stats stats;
  Resolver resolver(table, done, options, emit, stats);
  resolver.run(roots, std::max(1u, options.threads));
  result.stats.emitted = stats.emitted;
  result.stats.deltas_applied = stats.deltas;
  result.stats.damaged = stats.damaged;
  result.stats.over_limit = stats.over_limit;
  return result;
}

}  // namespace

struct PackFile::Loaded {
  PackTable table;
  ReadStats load_stats;
};

PackFile::PackFile() = default;
PackFile::~PackFile() = default;
PackFile::PackFile(PackFile&&) noexcept = default;

std::optional<PackFile> PackFile::open(int pack_fd, int idx_fd, std::string& error) {
  ReadStats stats;
  std::optional<PackTable> table = load_pack_table(pack_fd, idx_fd, stats, error);
  if (!table) return std::nullopt;
  PackFile file;
  file.loaded_ = std::make_unique<Loaded>(Loaded{std::move(*table), stats});
  return file;
}

std::optional<PackFile> PackFile::open(const std::string& pack_path, const std::string& idx_path, std::string& error) {
  const Fd pack(pack_path), idx(idx_path);
  if (pack.fd < 0 || idx.fd < 0) {
    error = "cannot open the pack or its index";
    return std::nullopt;
  }
  return open(pack.fd, idx.fd, error);  // the table keeps a descriptor of its own
}

ReadResult PackFile::read(std::span<const ObjectId> wanted, std::vector<std::uint8_t>& done, const ReadOptions& options,
                          const DeltaBlobCallback& emit) {
  if (done.size() != wanted.size()) {
    ReadResult result;
    result.error = "done and wanted differ in size";
    return result;
  }
  ReadResult result = read_table(loaded_->table, wanted, done, options, emit);
  result.stats.objects = loaded_->load_stats.objects;
  result.stats.damaged += loaded_->load_stats.damaged;
  return result;
}

std::span<const ObjectId> PackFile::ids() const { return loaded_->table.idx_oids; }

ReadResult read_pack_blobs_fd(int pack_fd, int idx_fd, std::span<const ObjectId> wanted,
                              std::vector<std::uint8_t>& done, const ReadOptions& options,
                              const DeltaBlobCallback& emit) {
  ReadResult result;
  std::optional<PackFile> file = PackFile::open(pack_fd, idx_fd, result.error);
  if (!file) return result;
  return file->read(wanted, done, options, emit);
}

ReadResult read_pack_blobs(const std::string& pack_path, const std::string& idx_path,
                           std::span<const ObjectId> wanted, std::vector<std::uint8_t>& done,
                           const ReadOptions& options, const BlobCallback& emit) {
  return read_pack_blobs(pack_path, idx_path, wanted, done, options,
                         DeltaBlobCallback([&emit](unsigned worker, std::size_t i, std::string_view bytes, BlobDelta&) {
                           emit(worker, i, bytes);
                         }));
}

ReadResult read_pack_blobs(const std::string& pack_path, const std::string& idx_path,
                           std::span<const ObjectId> wanted, std::vector<std::uint8_t>& done,
                           const ReadOptions& options, const DeltaBlobCallback& emit) {
  const Fd pack(pack_path), idx(idx_path);
  if (pack.fd < 0 || idx.fd < 0) {
    ReadResult result;
    result.error = "cannot open the pack or its index";
    return result;
  }
  return read_pack_blobs_fd(pack.fd, idx.fd, wanted, done, options, emit);
}

}  // namespace sentryscan::git::pack
