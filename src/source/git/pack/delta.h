// git's delta format (pack-format.txt, "Deltified representation"), applied
// to untrusted bytes: every copy is checked against the base, every insert
// against the delta, and the result against the size the delta declares.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace sentryscan::git::pack {

struct DeltaSizes {
  std::uint64_t base = 0, result = 0;
  std::size_t header = 0;  // bytes of the two sizes
};

// The two sizes that open a delta; nullopt when they do not parse.
std::optional<DeltaSizes> delta_sizes(std::span<const unsigned char> delta);

// One piece of a rebuilt object: target[target_begin, target_end) is a copy
// of base[base_begin, ...) or, when !copy, bytes the delta inserts.
struct DeltaOp {
  std::uint64_t target_begin = 0, target_end = 0;
  std::uint64_t base_begin = 0;  // copies only
  bool copy = false;
};

// Rebuilds the object into `out` (resized to the result size); false when the
// delta does not apply to `base` exactly. With `ops`, also says how: in target
// order, consecutive inserts merged, and consecutive copies merged when they
// are contiguous in the base too (git cuts copies at 64 KiB), so a boundary
// between two ops is a real change.
bool apply_delta(std::span<const unsigned char> base, std::span<const unsigned char> delta, const DeltaSizes& sizes,
                 std::vector<unsigned char>& out, std::vector<DeltaOp>* ops = nullptr);

}  // namespace sentryscan::git::pack
