// .sentryscanignore globs come from the scanned repository, so matching one
// must never backtrack exponentially.
#include <gtest/gtest.h>

#include <string>

#include "support/scan_cli.h"
#include "core/glob.h"
#include "support/temp_dir.h"

#include "support/scan_text.h"
#include "support/fake_tokens.h"

namespace sentryscan::testing {
namespace {

// .sentryscanignore `path:` globs come from the scanned repository; a glob
// with many stars used to backtrack exponentially on a long file name.
TEST(HostileContent, GlobWithManyStarsIsPolynomial) {
  std::string pattern;
  for (int i = 0; i < 30; ++i) pattern += "*a";
  const std::string name(200, 'a');
  const auto start = Clock::now();
  EXPECT_FALSE(glob_match(pattern + "*b", name));
  EXPECT_TRUE(glob_match(pattern, name));
  EXPECT_FALSE(glob_match("**/**/**/**/**/**/**/**/**/**/**/**/x", std::string(300, 'd') + "/y"));
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "d/";
  EXPECT_FALSE(glob_match("**/**/**/**/**/**/**/**/**/**/**/**/x", deep + "y"));
  EXPECT_TRUE(glob_match("**/**/**/**/**/**/**/**/**/**/**/**/y", deep + "y"));
  EXPECT_LT(seconds_since(start), kLimitSeconds);
}

// The same through the CLI: a hostile ignore file in the scanned repository
// and a long file name neither hang the walk nor hide other findings.
TEST(HostileContent, HostileIgnoreGlobDoesNotHangTheScan) {
  TempDir dir;
  std::string glob;
  for (int i = 0; i < 30; ++i) glob += "*a";
  dir.write(".sentryscanignore", "path:" + glob + "*b\npath:**/**/**/**/**/**/**/**/**/**/**/**/**/nothing\n");
  dir.write(std::string(200, 'a'), "SENTRY_AUTH_TOKEN=" + fake_user_token("long name") + "\n");
  dir.write("x/y/z/w/v/u/t/s/r/q/p/o/n/m/l/k/j/i/h/g/f/e/d/c.env", "SENTRY_TOKEN=" + fake_user_token("deep") + "\n");
  CliOptions options;
  options.timeout_seconds = 30;
  const auto scan = scan_json({dir.path().string()}, options);
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_EQ(scan.findings.size(), 2u) << scan.process.out;
}

}  // namespace
}  // namespace sentryscan::testing
