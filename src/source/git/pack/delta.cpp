#include "source/git/pack/delta.h"

#include <cstring>

namespace sentryscan::git::pack {
namespace {

bool varint(std::span<const unsigned char> in, std::size_t& pos, std::uint64_t& value) {
  value = 0;
  unsigned shift = 0;
  for (;;) {
    if (pos >= in.size() || shift > 63) return false;
    const unsigned char c = in[pos++];
    value |= std::uint64_t{c & 0x7fu} << shift;
    shift += 7;
    if (!(c & 0x80)) return true;
  }
}

}  // namespace

std::optional<DeltaSizes> delta_sizes(std::span<const unsigned char> delta) {
  DeltaSizes sizes;
  std::size_t pos = 0;
  if (!varint(delta, pos, sizes.base) || !varint(delta, pos, sizes.result)) return std::nullopt;
  sizes.header = pos;
  return sizes;
}

bool apply_delta(std::span<const unsigned char> base, std::span<const unsigned char> delta, const DeltaSizes& sizes,
                 std::vector<unsigned char>& out, std::vector<DeltaOp>* ops) {
  if (ops) ops->clear();
  if (sizes.base != base.size()) return false;
  // Each opcode byte makes at most 64 KiB (a copy), so a declared size beyond
  // that is a lie: refuse it before allocating.
  if (sizes.result / 0x10000 > delta.size() - sizes.header) return false;
  out.resize(static_cast<std::size_t>(sizes.result));
  unsigned char* dst = out.data();
  std::size_t left = out.size();
  std::size_t pos = sizes.header;
  auto record = [&](bool copy, std::uint64_t base_begin, std::uint64_t size) {
    if (!ops) return;
    const std::uint64_t at = out.size() - left;
    if (!ops->empty()) {
      DeltaOp& last = ops->back();
      if (last.copy == copy && (!copy || last.base_begin + (last.target_end - last.target_begin) == base_begin)) {
        last.target_end = at + size;
        return;
      }
    }
    ops->push_back({at, at + size, base_begin, copy});
  };
  while (pos < delta.size()) {
    const unsigned char op = delta[pos++];
    if (op & 0x80) {  // copy from the base: offset and size, bytes present per flag bit
      std::uint64_t offset = 0, size = 0;
      for (unsigned bit = 0; bit < 4; ++bit)
        if (op & (1u << bit)) {
          if (pos >= delta.size()) return false;
          offset |= std::uint64_t{delta[pos++]} << (8 * bit);
        }
      for (unsigned bit = 0; bit < 3; ++bit)
        if (op & (0x10u << bit)) {
          if (pos >= delta.size()) return false;
          size |= std::uint64_t{delta[pos++]} << (8 * bit);
        }
      if (size == 0) size = 0x10000;
      if (offset > base.size() || size > base.size() - offset || size > left) return false;
      record(true, offset, size);
      std::memcpy(dst, base.data() + offset, static_cast<std::size_t>(size));
      dst += size;
      left -= static_cast<std::size_t>(size);
    } else if (op != 0) {  // insert the next `op` bytes of the delta
      if (op > delta.size() - pos || op > left) return false;
      record(false, 0, op);
      std::memcpy(dst, delta.data() + pos, op);
      pos += op;
      dst += op;
      left -= op;
    } else {
      return false;  // opcode 0 is reserved
    }
  }
  return left == 0;
}

}  // namespace sentryscan::git::pack
