// The built-in size limits, written once: settings/scan_limits.h resolves
// them against flags and config; the decoders and git diffs that carry their
// own copy default to the same numbers.
#pragma once

#include <cstdint>

namespace sentryscan {

inline constexpr std::uint64_t kDefaultMaxFileSize = 50ull << 20;     // SPEC 2: 50 MiB
inline constexpr std::uint64_t kDefaultMaxArchiveSize = 256ull << 20;  // docs/decoding.md

}  // namespace sentryscan
