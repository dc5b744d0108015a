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
  EXPECT_NE(ldd.out.find("libhs"), std::string::npos) << ldd.out;  // the listing is real
  EXPECT_EQ(ldd.out.find("libcurl"), std::string::npos) << ldd.out;
  EXPECT_EQ(ldd.out.find("libarchive"), std::string::npos) << ldd.out;
}

// libgit2 is linked statically, with its parse of the system CA bundle at
// start-up wrapped (src/source/git/system_certificates.h): a shared libgit2
// would call mbedTLS directly and the wrapper would never run.
TEST(StartUp, LibgitIsLinkedStaticallySoItsCaBundleParseIsDeferred) {
  const CliResult ldd = run_program({"ldd", SENTRYSCAN_BINARY});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  EXPECT_EQ(ldd.out.find("libgit2"), std::string::npos) << ldd.out;
  const CliResult symbols = run_program({"nm", "-D", "--undefined-only", SENTRYSCAN_BINARY});
  ASSERT_EQ(symbols.exit_code, 0) << symbols.err;
  // libgit2's call goes to the wrapper, which calls mbedTLS's own.
  EXPECT_NE(symbols.out.find("mbedtls_x509_crt_parse_file"), std::string::npos) << symbols.out;
}

}  // namespace
}  // namespace sentryscan::testing
