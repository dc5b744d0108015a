// Found by fuzz_baseline: a number too large for a double in a baseline made
// nlohmann throw an exception the loader did not catch, and the CLI aborted
// instead of exiting 2 with the file named.
#include <gtest/gtest.h>

#include <string>

#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

TEST(BaselineNumberOverflow, IsAUsageErrorNamingTheFile) {
  TempDir dir;
  dir.write("scan/app.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("overflow") + "\n");
  const std::string huge = "1" + std::string(30, '7') + "E1111111";
  for (const std::string& baseline : {"\n" + huge + "v[]1111,{", "[{\"fingerprint\": " + huge + "}]",
                                      "{\"fingerprint\": \"x\"}\n{\"n\": " + huge + "}\n"}) {
    const auto file = dir.write("baseline.json", baseline);
    const auto result = run_sentryscan({"scan", "--baseline", file.string(), (dir.path() / "scan").string()});
    EXPECT_EQ(result.exit_code, 2) << baseline << "\n" << result.err;
    EXPECT_NE(result.err.find("baseline.json"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find(std::string(30, '7')), std::string::npos) << "the number is not quoted: " << result.err;
  }
}

}  // namespace
}  // namespace sentryscan::testing
