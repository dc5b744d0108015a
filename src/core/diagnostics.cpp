#include "core/diagnostics.h"

#include <cstdio>

namespace sentryscan {

namespace diagnostics_detail {

void write_stderr(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace diagnostics_detail

void clear_progress() { diagnostics_detail::write_stderr("\r\x1b[K"); }

}  // namespace sentryscan
