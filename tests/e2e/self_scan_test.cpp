// The repository's own scan stays clean: fixtures that must be literal are
// listed in .sentryscanignore, and everything else is generated at test time.
#include <gtest/gtest.h>

#include "support/run_cli.h"

namespace sentryscan::testing {
namespace {

TEST(SelfScan, RepositoryIsClean) {
  CliOptions options;
  options.cwd = SENTRYSCAN_SOURCE_DIR;
  const auto result = run_sentryscan({"scan", "--format", "text", "--no-color", "."}, options);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST(SelfScan, DemoTreeHasOneFindingOfEveryKind) {
  CliOptions options;
  options.cwd = SENTRYSCAN_SOURCE_DIR;
  const auto result = run_sentryscan({"scan", "--format", "json", "examples/demo"}, options);
  EXPECT_EQ(result.exit_code, 1);
  for (const char* id : {"sentry-org-token", "sentry-user-token", "sentry-user-app-secret", "sentry-integration-token",
                         "sentry-legacy-token", "sentry-legacy-api-key", "sentry-dsn-secret", "sentry-dsn"})
    EXPECT_NE(result.out.find(std::string("\"") + id + "\""), std::string::npos) << id;
  EXPECT_EQ(result.out.find("package-lock.json"), std::string::npos) << "lockfile hashes are not findings";
}

}  // namespace
}  // namespace sentryscan::testing
