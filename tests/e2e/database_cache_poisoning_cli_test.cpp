// The compiled rules are cached by file name in SENTRYSCAN_CACHE_DIR (or
// XDG_CACHE_HOME, ~/.cache). In CI that directory is often restored from an
// earlier job, which a pull request's job may have written. A valid Hyperscan
// database of other patterns stored under the rules' name must not make the
// scan pass: it is checked against the rules' examples, rebuilt and replaced.
#include <gtest/gtest.h>
#include <hs/hs.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

namespace fs = std::filesystem;

// A serialized database that matches only "zzzz-never": harmless, valid for
// this Hyperscan and CPU, and blind to every credential.
std::string harmless_database() {
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile("zzzz-never", 0, HS_MODE_BLOCK, nullptr, &database, &error) != HS_SUCCESS) {
    hs_free_compile_error(error);
    return {};
  }
  char* bytes = nullptr;
  std::size_t length = 0;
  std::string out;
  if (hs_serialize_database(database, &bytes, &length) == HS_SUCCESS) out.assign(bytes, length);
  std::free(bytes);
  hs_free_database(database);
  return out;
}

class DatabaseCachePoisoning : public ::testing::Test {
 protected:
  void SetUp() override {
    work_.write("src/settings.py", "SENTRY_AUTH_TOKEN = \"" + fake_user_token("poison") + "\"\n");
  }

  CliResult scan(std::map<std::string, std::string> env) {
    CliOptions options;
    options.env = std::move(env);
    return run_sentryscan({"scan", "--format", "jsonl", (work_.path() / "src").string()}, options);
  }

  // The one cache entry the first run wrote, overwritten with the harmless database.
  fs::path poison(const fs::path& dir) {
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(dir)) entries.push_back(entry.path());
    EXPECT_EQ(entries.size(), 1u);
    const std::string bytes = harmless_database();
    EXPECT_FALSE(bytes.empty());
    std::ofstream(entries.at(0), std::ios::binary | std::ios::trunc) << bytes;
    return entries.at(0);
  }

  TempDir work_;
  TempDir cache_;
};

TEST_F(DatabaseCachePoisoning, APoisonedEntryInTheCacheDirectoryDoesNotHideTheToken) {
  const std::map<std::string, std::string> env{{"SENTRYSCAN_CACHE_DIR", cache_.path().string()}};
  ASSERT_EQ(scan(env).exit_code, 1);
  const fs::path entry = poison(cache_.path());
  const std::string poisoned = read_file(entry);

  const CliResult result = scan(env);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("sentry-user-token"), std::string::npos) << result.out;
  EXPECT_NE(read_file(entry), poisoned) << "the entry is replaced by the rebuilt database";

  const auto rewritten = fs::last_write_time(entry);
  EXPECT_EQ(scan(env).exit_code, 1);
  EXPECT_EQ(fs::last_write_time(entry), rewritten) << "the rebuilt entry passes the check and is reused";
}

// The same through XDG_CACHE_HOME, the variable CI cache actions restore.
TEST_F(DatabaseCachePoisoning, APoisonedEntryUnderXdgCacheHomeDoesNotHideTheToken) {
  const std::map<std::string, std::string> env{{"XDG_CACHE_HOME", cache_.path().string()},
                                               {"SENTRYSCAN_CACHE_DIR", ""}};
  ASSERT_EQ(scan(env).exit_code, 1);
  poison(cache_.path() / "sentryscan");
  const CliResult result = scan(env);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("sentry-user-token"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace sentryscan::testing
