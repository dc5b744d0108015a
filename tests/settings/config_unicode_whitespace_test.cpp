// Found by fuzz_config once toml++ was built from its headers: toml++ 3.3.0's
// is_non_ascii_horizontal_whitespace reaches __builtin_unreachable for code
// points such as U+01AB or U+00E9 where it looks for whitespace (after a bare
// key, at the start of a line). .sentryscan.toml lives in the scanned
// repository, so anyone can write one. GCC compiles that point to "not
// whitespace" (in Debian's shared library and in this build alike), so the
// file is refused as invalid TOML, which is what this test holds. Under the
// sanitizers it is the undefined behaviour itself that is reported, in
// toml++'s code: skipped there until Debian ships toml++ 3.4, which fixes it.
#include <gtest/gtest.h>

#include <string>

#include "core/input_error.h"
#include "settings/config_file.h"

namespace sentryscan::testing {
namespace {

TEST(ConfigUnicodeWhitespace, NonAsciiWhereWhitespaceMayBeIsInvalidToml) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "toml++ 3.3.0's own undefined behaviour (see the comment above)";
#endif
  for (const auto& [toml, line] : {std::pair<std::string, int>{"max_file_size\xc6\xab = 1024\n#", 1},
                                   std::pair<std::string, int>{"fail_on = \"high\"\n\xc3\xa9 = 2\n", 2}}) {
    std::string message = "no error";
    try {
      parse_config(toml, ".sentryscan.toml");
    } catch (const InputError& e) {
      message = e.what();
    }
    EXPECT_TRUE(message.starts_with(".sentryscan.toml:" + std::to_string(line) + ": invalid TOML")) << message;
  }
}

}  // namespace
}  // namespace sentryscan::testing
