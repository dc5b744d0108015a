// What every run pays before it scans anything: the shared libraries the
// executable needs at start-up. libcurl and libarchive (with ~30 libraries
// of their own) are opened only when --validate or an archive needs them.
#include <gtest/gtest.h>

#include "support/run_cli.h"

namespace sentryscan::testing {
namespace {

TEST(StartUp, LibcurlAndLibarchiveAreNotLoadedUntilNeeded) {
  const CliResult ldd = run_program({"ldd", SENTRYSCAN_BINARY});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  EXPECT_NE(ldd.out.find("libgit2"), std::string::npos) << ldd.out;  // the listing is real
  EXPECT_EQ(ldd.out.find("libcurl"), std::string::npos) << ldd.out;
  EXPECT_EQ(ldd.out.find("libarchive"), std::string::npos) << ldd.out;
}

}  // namespace
}  // namespace sentryscan::testing
