// The compiled-rules cache (src/match/database_cache.h) must only ever make
// start-up faster: a missing, corrupt or unwritable cache changes nothing a
// user sees.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> cache_files(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  return files;
}

class DatabaseCache : public ::testing::Test {
 protected:
  void SetUp() override {
    work_.write("app/settings.py", "SENTRY_TOKEN = \"" + fake_user_token("cache") + "\"\n");
  }
  CliResult scan(const fs::path& cache_dir) {
    CliOptions options;
    options.env["SENTRYSCAN_CACHE_DIR"] = cache_dir.string();
    return run_sentryscan({"scan", "--format", "jsonl", (work_.path() / "app").string()}, options);
  }
  TempDir work_;
  TempDir cache_;
};

TEST_F(DatabaseCache, FirstRunStoresTheCompiledRulesAndLaterRunsFindTheSame) {
  const CliResult first = scan(cache_.path());
  ASSERT_EQ(first.exit_code, 1) << first.err;
  const auto files = cache_files(cache_.path());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0].filename().string().starts_with("hs-"));
  const auto written = fs::last_write_time(files[0]);

  const CliResult second = scan(cache_.path());
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_EQ(second.out, first.out);
  EXPECT_EQ(fs::last_write_time(files[0]), written) << "a valid cache entry is reused, not rewritten";
}

TEST_F(DatabaseCache, CorruptEntryIsReplacedAndTheScanStillFindsTheToken) {
  ASSERT_EQ(scan(cache_.path()).exit_code, 1);
  const fs::path entry = cache_files(cache_.path()).at(0);
  const auto good_size = fs::file_size(entry);
  for (const std::string& garbage : {std::string(), std::string("not a database"), std::string(4096, '\xff')}) {
    std::ofstream(entry, std::ios::binary | std::ios::trunc) << garbage;
    const CliResult result = scan(cache_.path());
    EXPECT_EQ(result.exit_code, 1) << result.err;
    EXPECT_NE(result.out.find("sentry-user-token"), std::string::npos);
    EXPECT_EQ(fs::file_size(entry), good_size);
  }
}

TEST_F(DatabaseCache, UnusableCacheDirectoryIsNotAnError) {
  const fs::path blocked = work_.write("not-a-directory", "x");  // a file where the directory should be
  const CliResult result = scan(blocked / "sub");
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("sentry-user-token"), std::string::npos);
  EXPECT_EQ(result.err.find("cache"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
