#include "source/git/pack_blobs.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>

#include "source/git/pack_order.h"

namespace sentryscan::git {

std::vector<std::uint8_t> read_blobs_from_packs(
    git_repository* repo, std::span<const git_oid> wanted, const pack::ReadOptions& options,
    const std::function<void(unsigned worker, std::size_t index, std::string_view bytes)>& emit) {
  return read_blobs_from_packs(repo, wanted, options,
                               pack::DeltaBlobCallback([&emit](unsigned worker, std::size_t i, std::string_view bytes,
                                                               pack::BlobDelta&) { emit(worker, i, bytes); }));
}

std::vector<std::uint8_t> read_blobs_from_packs(git_repository* repo, std::span<const git_oid> wanted,
                                                const pack::ReadOptions& options,
                                                const pack::DeltaBlobCallback& emit) {
  if (wanted.empty()) return {};
  return RepositoryPacks(repo).read(wanted, options, emit);
}

// Promisor packs are read too: they hold complete objects; what a partial
// clone never fetched is simply not in them. A .pack without its .idx cannot
// be read by either reader; libgit2 reports what it held. A pair the reader
// cannot parse is left out: libgit2 reads its objects.
RepositoryPacks::RepositoryPacks(git_repository* repo) {
  for (const auto& idx_path : pack_index_files(repo)) {
    std::filesystem::path pack_path = idx_path;
    pack_path.replace_extension(".pack");
    std::string error;
    if (auto file = pack::PackFile::open(pack_path.string(), idx_path.string(), error)) packs_.push_back(std::move(*file));
  }
}

std::vector<std::uint8_t> RepositoryPacks::read(std::span<const git_oid> wanted, const pack::ReadOptions& options,
                                                const pack::DeltaBlobCallback& emit) {
  std::vector<std::uint8_t> done(wanted.size(), 0);
  if (wanted.empty()) return done;
  std::vector<pack::ObjectId> ids(wanted.size());
  for (std::size_t i = 0; i < wanted.size(); ++i) std::memcpy(ids[i].data(), wanted[i].id, ids[i].size());
  for (pack::PackFile& pack : packs_) {
    if (std::all_of(done.begin(), done.end(), [](std::uint8_t d) { return d != 0; })) break;
    pack.read(ids, done, options, emit);
  }
  return done;
}

std::vector<git_oid> RepositoryPacks::object_ids() const {
  std::vector<git_oid> ids;
  // Each pack's ids are sorted already (unless its index is damaged): with
  // a few packs they are merged, not sorted again (sentry-javascript has a
  // second pack of one object, and sorting all 513,036 ids took 45 ms of a
  // serial phase). Each merge moves every id so far: with many packs, one
  // sort costs less.
  constexpr std::size_t kMergedPacks = 8;
  const bool merge = packs_.size() <= kMergedPacks;
  for (const pack::PackFile& pack : packs_) {
    const auto middle = static_cast<std::ptrdiff_t>(ids.size());
    for (const pack::ObjectId& id : pack.ids()) {
      ids.emplace_back();
      std::memcpy(ids.back().id, id.data(), id.size());
    }
    if (!merge) continue;
    if (!std::is_sorted(ids.begin() + middle, ids.end(), OidLess{})) std::sort(ids.begin() + middle, ids.end(), OidLess{});
    std::inplace_merge(ids.begin(), ids.begin() + middle, ids.end(), OidLess{});
  }
  if (!merge) std::sort(ids.begin(), ids.end(), OidLess{});
  ids.erase(std::unique(ids.begin(), ids.end(), [](const git_oid& a, const git_oid& b) { return git_oid_equal(&a, &b); }),
            ids.end());
  return ids;
}

}  // namespace sentryscan::git
