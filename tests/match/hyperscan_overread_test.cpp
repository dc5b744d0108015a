// Found by fuzz_matcher (issue 6): a buffer that ends right before an
// unmapped page crashed the scan inside Hyperscan.
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "support/scan_text.h"
#include "support/fake_tokens.h"

namespace sentryscan::testing {
namespace {

// Fuzzing found that Debian's Hyperscan 5.4.0 (AVX512-VBMI fat Teddy) reads
// past the end of the buffer: a SIGSEGV when the buffer ends right before an
// unmapped page. The matcher must scan such buffers from a padded copy.
TEST(HostileContent, BufferEndingAtAnUnmappedPageDoesNotCrash) {
  const unsigned char crash[] = {
      0xff, 0xfe, 0xff, 0xdb, 0x52, 0x05, 0xff, 0x2d, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0xff, 0xff, 0x6d, 0xdb, 0x2d, 0x4e, 0xfe, 0xfe, 0xff, 0xdb, 0xff, 0xfe, 0xff,
      0xdb, 0x4e, 0x1f, 0x6d, 0xdb, 0xff, 0x2d, 0x05, 0x2d, 0xfe, 0xfe, 0xff, 0xdb, 0xff, 0x2d, 0x05,
      0x2d, 0xfe, 0xfe, 0xff, 0xdb, 0x4e, 0x2d, 0x2d, 0xdb, 0xff, 0x2d, 0x05, 0xff, 0xff};
  const std::string token_line = "x SENTRY_AUTH_TOKEN=" + fake_user_token("page-end");
  const long page = sysconf(_SC_PAGESIZE);
  char* base = static_cast<char*>(mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(base, MAP_FAILED);
  ASSERT_EQ(mprotect(base + page, page, PROT_NONE), 0);  // guard page right after the buffer
  auto matcher_at_page_end = [&](std::string_view content) {
    char* start = base + page - content.size();
    std::memcpy(start, content.data(), content.size());
    auto scratch = default_matcher().make_scratch();
    return default_matcher().find(std::string_view(start, content.size()), MatchContext{}, scratch);
  };
  EXPECT_TRUE(matcher_at_page_end(std::string_view(reinterpret_cast<const char*>(crash), sizeof crash)).empty());
  const auto found = matcher_at_page_end(token_line);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].end, token_line.size());
  munmap(base, 2 * page);
}

}  // namespace
}  // namespace sentryscan::testing
