// --validation-cache names a file sentryscan may rewrite. A mistyped flag
// (`--validation-cache ~/.bashrc`) or a path someone else chose must never cost
// the user a file: anything at the path that is not a sentryscan cache is
// neither read nor written, and a symbolic link there is neither followed nor
// replaced. The run still validates, without a cache, and says why.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"
#include "support/fake_sentry.h"

namespace sentryscan::testing {
namespace {

namespace fs = std::filesystem;

const std::string kBashrc = "# ~/.bashrc\nexport PATH=\"$HOME/bin:$PATH\"\nalias ll='ls -l'\n";

class ValidationCacheNeverOverwrites : public ::testing::Test {
 protected:
  void SetUp() override { work_.write("app/.env", "SENTRY_AUTH_TOKEN=" + fake_user_token("never-overwrite") + "\n"); }

  CliResult scan(const fs::path& cache) {
    CliOptions options;
    options.env = {{"SENTRYSCAN_SAAS_URL", sentry_.url()}};
    return run_sentryscan({"scan", (work_.path() / "app").string(), "--format", "json", "--validate",
                           "--allow-insecure-http", "--validation-cache", cache.string()},
                          options);
  }

  // Nothing but the files the test made: no temporary file left behind.
  std::size_t entries_in(const fs::path& dir) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
  }

  FakeSentry sentry_;
  TempDir work_;
  TempDir home_;
};

TEST_F(ValidationCacheNeverOverwrites, AFileThatIsNotACacheKeepsItsExactBytes) {
  const fs::path bashrc = home_.write(".bashrc", kBashrc);
  for (int run = 0; run < 2; ++run) {
    const CliResult result = scan(bashrc);
    EXPECT_EQ(result.exit_code, 1) << result.err;  // the token was still checked and reported
    EXPECT_NE(result.out.find("\"live\""), std::string::npos) << result.out;
    EXPECT_EQ(read_file(bashrc), kBashrc) << "run " << run;
    EXPECT_NE(result.err.find("not a sentryscan cache file"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(bashrc.string()), std::string::npos) << "the warning names the file: " << result.err;
  }
  EXPECT_EQ(sentry_.count(), 2u);  // no cache: asked on each run
  EXPECT_EQ(entries_in(home_.path()), 1u);
}

TEST_F(ValidationCacheNeverOverwrites, ASymbolicLinkAtTheCachePathIsNotFollowedNorReplaced) {
  const fs::path target = home_.write("elsewhere/notes.txt", kBashrc);
  const fs::path link = home_.path() / "cache.json";
  fs::create_symlink(target, link);
  const CliResult result = scan(link);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link))) << "the link was replaced";
  EXPECT_EQ(fs::read_symlink(link), target);
  EXPECT_EQ(read_file(target), kBashrc);
  EXPECT_NE(result.err.find("symbolic link"), std::string::npos) << result.err;
  EXPECT_EQ(entries_in(home_.path()), 2u);
}

TEST_F(ValidationCacheNeverOverwrites, ALinkToARealCacheIsNotFollowedEither) {
  // Made by sentryscan itself, then reached through a link: still not followed.
  const fs::path real = home_.path() / "real-cache.json";
  ASSERT_EQ(scan(real).exit_code, 1);
  const std::string cached = read_file(real);
  ASSERT_NE(cached.find("sentryscan-validation-cache"), std::string::npos);
  const fs::path link = home_.path() / "link.json";
  fs::create_symlink(real, link);
  const CliResult result = scan(link);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(link)));
  EXPECT_EQ(read_file(real), cached);
  EXPECT_EQ(sentry_.count(), 2u);  // the linked cache was not read either
}

TEST_F(ValidationCacheNeverOverwrites, ANewPathBecomesACacheThatLaterRunsUse) {
  const fs::path cache = home_.path() / "sub-dir-less-cache.json";
  ASSERT_EQ(scan(cache).exit_code, 1);
  const CliResult again = scan(cache);
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_EQ(sentry_.count(), 1u);
  EXPECT_NE(again.out.find("cached"), std::string::npos) << again.out;
  EXPECT_EQ(again.err.find("cache"), std::string::npos) << again.err;
  EXPECT_EQ(entries_in(home_.path()), 1u);
}

}  // namespace
}  // namespace sentryscan::testing
