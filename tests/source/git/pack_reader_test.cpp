// The audit's pack reader (source/git/pack) against libgit2, object by
// object, on every repository shape the suite builds (support/pack_shapes.h):
// each blob it emits has libgit2's bytes, it emits nothing else, and on an
// intact repository it reads every packed blob libgit2 can read.
#include "source/git/pack/pack_reader.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>

#include "source/git/pack/delta.h"
#include "source/git/pack_blobs.h"
#include "source/git/pack_order.h"
#include "support/pack_shapes.h"

namespace sentryscan::git {
namespace {

struct OdbView {
  std::vector<git_oid> ids;                 // every object libgit2 lists, sorted
  std::map<std::string, std::string> blobs;  // hex id -> bytes, for blobs libgit2 reads
};

OdbView read_with_libgit2(git_repository* repo) {
  OdbView view;
  git_odb* raw = nullptr;
  EXPECT_EQ(git_repository_odb(&raw, repo), 0);
  Odb odb(raw);
  git_odb_foreach(
      odb.get(),
      [](const git_oid* id, void* payload) {
        static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
        return 0;
      },
      &view.ids);
  std::sort(view.ids.begin(), view.ids.end(), [](const git_oid& a, const git_oid& b) { return git_oid_cmp(&a, &b) < 0; });
  view.ids.erase(std::unique(view.ids.begin(), view.ids.end(),
                             [](const git_oid& a, const git_oid& b) { return git_oid_cmp(&a, &b) == 0; }),
                 view.ids.end());
  for (const git_oid& id : view.ids) {
    git_odb_object* object = nullptr;
    if (git_odb_read(&object, odb.get(), &id) != 0) continue;
    if (git_odb_object_type(object) == GIT_OBJECT_BLOB)
      view.blobs[to_hex(id)] = std::string(static_cast<const char*>(git_odb_object_data(object)), git_odb_object_size(object));
    git_odb_object_free(object);
  }
  return view;
}

// Built once for the tests of this file (tens of git commands each).
const std::vector<testing::PackShape>& shapes() {
  static const std::vector<testing::PackShape> built = testing::build_pack_shapes();
  return built;
}

TEST(GitPackReader, EveryBlobEqualsLibgit2sOnEveryRepositoryShape) {
  for (const testing::PackShape& shape : shapes()) {
    SCOPED_TRACE(shape.name);
    Session session;
    Repository repo = open_repository(shape.path.string());
    const OdbView libgit2 = read_with_libgit2(repo.get());
    ASSERT_FALSE(libgit2.ids.empty());

    std::mutex mutex;
    std::map<std::string, std::string> emitted;
    std::size_t twice = 0;
    pack::ReadOptions options;
    options.threads = 2;
    const auto done = read_blobs_from_packs(repo.get(), libgit2.ids, options,
                                            [&](unsigned worker, std::size_t i, std::string_view bytes) {
                                              EXPECT_LT(worker, 2u);
                                              std::lock_guard lock(mutex);
                                              if (!emitted.emplace(to_hex(libgit2.ids[i]), std::string(bytes)).second) ++twice;
                                            });
    EXPECT_EQ(twice, 0u);
    std::size_t done_count = 0;
    for (std::size_t i = 0; i < done.size(); ++i) {
      if (!done[i]) continue;
      ++done_count;
      EXPECT_TRUE(emitted.contains(to_hex(libgit2.ids[i])));
    }
    EXPECT_EQ(done_count, emitted.size());
    for (const auto& [id, bytes] : emitted) {
      const auto expected = libgit2.blobs.find(id);
      ASSERT_NE(expected, libgit2.blobs.end()) << id << " emitted but libgit2 reads no blob there";
      EXPECT_EQ(bytes, expected->second) << id;
    }
    if (shape.damaged) continue;
    // Intact: every blob in one of the repository's own packs was read.
    const PackOrder order(repo.get());
    std::size_t packed = 0;
    for (const auto& [id, bytes] : libgit2.blobs) {
      git_oid oid;
      ASSERT_EQ(git_oid_fromstr(&oid, id.c_str()), 0);
      if (order.position(oid).first >= order.packs()) continue;
      ++packed;
      EXPECT_TRUE(emitted.contains(id)) << id << " is packed and readable but the pack reader left it";
    }
    EXPECT_EQ(emitted.size(), packed);
    if (shape.name == "loose only") {
      EXPECT_EQ(packed, 0u);
    } else {
      EXPECT_GT(packed, shape.name == "alternates" ? 2u : 20u);  // alternates: only what the clone added
    }
  }
}

TEST(GitPackReader, SizeLimitLeavesLargeBlobsAndTheirDeltasToTheFallback) {
  const auto& shape = shapes()[1];  // repacked, OFS_DELTA chains
  ASSERT_EQ(shape.name, "repacked, OFS_DELTA chains");
  Session session;
  Repository repo = open_repository(shape.path.string());
  const OdbView libgit2 = read_with_libgit2(repo.get());
  pack::ReadOptions options;
  options.max_object_size = 60000;  // big.bin (70 kB) is never rebuilt
  std::size_t emitted = 0;
  read_blobs_from_packs(repo.get(), libgit2.ids, options, [&](unsigned, std::size_t i, std::string_view bytes) {
    EXPECT_LE(bytes.size(), 60000u) << to_hex(libgit2.ids[i]);
    ++emitted;
  });
  EXPECT_GT(emitted, 20u);
}

std::vector<unsigned char> bytes(std::initializer_list<int> values) {
  std::vector<unsigned char> out;
  for (int v : values) out.push_back(static_cast<unsigned char>(v));
  return out;
}

TEST(GitPackDelta, AppliesCopiesAndInsertsAndRefusesAnythingOutOfBounds) {
  const std::string base_text = "hello world";
  const std::span<const unsigned char> base(reinterpret_cast<const unsigned char*>(base_text.data()), base_text.size());
  std::vector<unsigned char> out;
  // base 11, result 8: copy 5 bytes at 0, insert "!!!"
  auto good = bytes({11, 8, 0x90, 5, 3, '!', '!', '!'});
  ASSERT_TRUE(pack::delta_sizes(good));
  EXPECT_TRUE(pack::apply_delta(base, good, *pack::delta_sizes(good), out));
  EXPECT_EQ(std::string(out.begin(), out.end()), "hello!!!");

  auto check_bad = [&](std::vector<unsigned char> delta) {
    const auto sizes = pack::delta_sizes(delta);
    return !sizes || !pack::apply_delta(base, delta, *sizes, out);
  };
  EXPECT_TRUE(check_bad(bytes({12, 8, 0x90, 5, 3, '!', '!', '!'})));         // wrong base size
  EXPECT_TRUE(check_bad(bytes({11, 9, 0x90, 5, 3, '!', '!', '!'})));         // result shorter than declared
  EXPECT_TRUE(check_bad(bytes({11, 7, 0x90, 5, 3, '!', '!', '!'})));         // result longer than declared
  EXPECT_TRUE(check_bad(bytes({11, 8, 0x91, 9, 5, 3, '!', '!', '!'})));      // copy past the base's end
  EXPECT_TRUE(check_bad(bytes({11, 8, 0x90, 5, 5, '!', '!', '!'})));         // insert past the delta's end
  EXPECT_TRUE(check_bad(bytes({11, 8, 0x90, 5, 0, 3, '!', '!', '!'})));      // reserved opcode 0
  EXPECT_TRUE(check_bad(bytes({11, 8, 0x9f})));                              // copy arguments missing
  EXPECT_TRUE(check_bad(bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})));  // size overflow
  EXPECT_TRUE(check_bad(bytes({11, 0x80, 0x80, 0x80, 0x80, 0x10, 0x90, 5})));  // a huge result from a tiny delta
}

// The ops the delta scan reads (source/git/audit/delta_scan.h): in target order,
// covering it exactly, inserts merged, copies merged only where they are
// contiguous in the base too, so that each boundary is a change.
TEST(GitPackDelta, RecordsOpsWithRealBoundariesOnly) {
  const std::string base_text = "hello world";
  const std::span<const unsigned char> base(reinterpret_cast<const unsigned char*>(base_text.data()), base_text.size());
  std::vector<unsigned char> out;
  std::vector<pack::DeltaOp> ops;
  // copy [0,3) + copy [3,5) (contiguous: one op), insert "!", insert "?" (one op),
  // copy [6,11) (a seam: not contiguous with [0,5)), copy [0,2)
  auto delta = bytes({11, 14, 0x90, 3, 0x91, 3, 2, 1, '!', 1, '?', 0x91, 6, 5, 0x90, 2});
  const auto sizes = pack::delta_sizes(delta);
  ASSERT_TRUE(sizes);
  ASSERT_TRUE(pack::apply_delta(base, delta, *sizes, out, &ops));
  EXPECT_EQ(std::string(out.begin(), out.end()), "hello!?worldhe");
  ASSERT_EQ(ops.size(), 4u);
  auto op = [](std::uint64_t b, std::uint64_t e, std::uint64_t from, bool copy) { return pack::DeltaOp{b, e, from, copy}; };
  const pack::DeltaOp expected[] = {op(0, 5, 0, true), op(5, 7, 0, false), op(7, 12, 6, true), op(12, 14, 0, true)};
  for (std::size_t i = 0; i < ops.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(ops[i].target_begin, expected[i].target_begin);
    EXPECT_EQ(ops[i].target_end, expected[i].target_end);
    EXPECT_EQ(ops[i].copy, expected[i].copy);
    if (ops[i].copy) {
      EXPECT_EQ(ops[i].base_begin, expected[i].base_begin);
    }
  }
}

}  // namespace
}  // namespace sentryscan::git
