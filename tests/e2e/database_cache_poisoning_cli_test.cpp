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
    // Texts without 64 (and without 32) hex digits in a row are scanned
    // with the smaller databases (Matcher::find's HexRun): each has an entry.
    work_.write("src/client.js", "Sentry.init({ dsn: \"" + fake_dsn("poison") + "\" });\n");
    work_.write("src/ci.sh", "export SENTRY_AUTH_TOKEN=" + fake_org_token("poison") + "\n");
  }

  // Every rule of the three files is found.
  static void expect_all_found(const CliResult& result) {
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    for (const char* rule : {"sentry-user-token", "sentry-dsn", "sentry-org-token"})
      EXPECT_NE(result.out.find(rule), std::string::npos) << rule << "\n" << result.out;
  }

  CliResult scan(std::map<std::string, std::string> env) {
    CliOptions options;
    options.env = std::move(env);
    return run_sentryscan({"scan", "--format", "jsonl", (work_.path() / "src").string()}, options);
  }

  // The cache entries the first run wrote (one per database: all the
  // prefilters, those without the 64-hex ones, those without any that needs
  // hex digits), each overwritten with the harmless database.
  std::vector<fs::path> poison(const fs::path& dir) {
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(dir)) entries.push_back(entry.path());
    EXPECT_EQ(entries.size(), 3u);
    const std::string bytes = harmless_database();
    EXPECT_FALSE(bytes.empty());
    for (const fs::path& entry : entries) std::ofstream(entry, std::ios::binary | std::ios::trunc) << bytes;
    return entries;
  }

  TempDir work_;
  TempDir cache_;
};

TEST_F(DatabaseCachePoisoning, APoisonedEntryInTheCacheDirectoryDoesNotHideTheToken) {
  const std::map<std::string, std::string> env{{"SENTRYSCAN_CACHE_DIR", cache_.path().string()}};
  expect_all_found(scan(env));
  const std::vector<fs::path> entries = poison(cache_.path());
  const std::string poisoned = harmless_database();

  expect_all_found(scan(env));
  for (const fs::path& entry : entries)
    EXPECT_NE(read_file(entry), poisoned) << entry << ": the entry is replaced by the rebuilt database";

  std::vector<fs::file_time_type> rewritten;
  for (const fs::path& entry : entries) rewritten.push_back(fs::last_write_time(entry));
  expect_all_found(scan(env));
  for (std::size_t i = 0; i < entries.size(); ++i)
    EXPECT_EQ(fs::last_write_time(entries[i]), rewritten[i]) << entries[i] << ": the rebuilt entry passes the check and is reused";
}

// The same through XDG_CACHE_HOME, the variable CI cache actions restore.
TEST_F(DatabaseCachePoisoning, APoisonedEntryUnderXdgCacheHomeDoesNotHideTheToken) {
  const std::map<std::string, std::string> env{{"XDG_CACHE_HOME", cache_.path().string()},
                                               {"SENTRYSCAN_CACHE_DIR", ""}};
  expect_all_found(scan(env));
  poison(cache_.path() / "sentryscan");
  expect_all_found(scan(env));
}

}  // namespace
}  // namespace sentryscan::testing
