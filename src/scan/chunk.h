// What every source hands to the scanner: bytes plus where they came from.
#pragma once

#include <string_view>

#include "core/finding.h"

namespace sentryscan {

struct Chunk {
  std::string_view data;  // borrowed for the duration of the scan call only
  Provenance provenance;
};

}  // namespace sentryscan
