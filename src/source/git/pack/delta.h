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

// Rebuilds the object into `out` (resized to the result size); false when the
// delta does not apply to `base` exactly.
bool apply_delta(std::span<const unsigned char> base, std::span<const unsigned char> delta, const DeltaSizes& sizes,
                 std::vector<unsigned char>& out);

}  // namespace sentryscan::git::pack
