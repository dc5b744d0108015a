// --validation-cache: results survive runs, keyed by sha256, never the secret.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/secret_hash.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"
#include "validate/cache.h"
#include "validate/checker.h"
#include "support/fake_sentry.h"

namespace sentryscan::testing {
namespace {

using validate::Credential;

std::size_t entries_in(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(
      std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()));
}

const Validation kLive{ValidationStatus::live, 200, "ok"};

std::vector<Validation> run(const std::vector<Credential>& credentials, validate::ValidationSettings settings,
                            const std::filesystem::path& cache, std::vector<ScanIssue>& issues,
                            double ttl_hours = 24) {
  settings.cache_file = cache.string();
  settings.cache_ttl_hours = ttl_hours;
  return validate::check_credentials(credentials, settings, issues);
}

TEST(ValidationCache, SecondRunAsksNothingAndTheFileHoldsNoSecret) {
  TempDir dir;
  const auto cache = dir.path() / "cache.json";
  FakeSentry sentry([](const httplib::Request& req, httplib::Response& res) {
    const bool live = req.get_header_value("Authorization").find("sntryu_") != std::string::npos;
    res.status = live ? 200 : 401;
    res.set_content(live ? "{}" : R"({"detail":"Invalid token"})", "application/json");
  });
  const Credential live{"sentry-user-token", fake_user_token("cached-live"), {}};
  const Credential revoked{"sentry-legacy-token", fake_hex("cached-revoked", 64), {}};
  std::vector<ScanIssue> issues;

  auto first = run({live, revoked}, local_settings(sentry.url()), cache, issues);
  EXPECT_EQ(first[0].status, ValidationStatus::live);
  EXPECT_EQ(first[1].status, ValidationStatus::revoked);
  EXPECT_EQ(sentry.count(), 2u);

  const std::string text = read_file(cache);
  EXPECT_EQ(text.find(live.secret), std::string::npos);
  EXPECT_EQ(text.find(revoked.secret), std::string::npos);
  EXPECT_NE(text.find(sha256_hex(live.secret)), std::string::npos);
  struct stat info {};
  ASSERT_EQ(stat(cache.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  auto second = run({live, revoked}, local_settings(sentry.url()), cache, issues);
  EXPECT_EQ(sentry.count(), 2u);  // nothing new was asked
  EXPECT_EQ(second[0].status, ValidationStatus::live);
  EXPECT_EQ(second[1].status, ValidationStatus::revoked);
  EXPECT_NE(second[0].detail.find("cached"), std::string::npos);
  EXPECT_TRUE(issues.empty());
}

TEST(ValidationCache, ExpiredEntriesAndOtherBasesAreAskedAgain) {
  TempDir dir;
  const auto cache = dir.path() / "cache.json";
  FakeSentry a, b;
  const Credential token{"sentry-user-token", fake_user_token("ttl"), {}};
  std::vector<ScanIssue> issues;
  run({token}, local_settings(a.url()), cache, issues);
  run({token}, local_settings(a.url()), cache, issues, /*ttl_hours=*/0);
  EXPECT_EQ(a.count(), 2u);  // a TTL of 0 trusts nothing
  run({token}, local_settings(b.url()), cache, issues);
  EXPECT_EQ(b.count(), 1u);  // a result from another server says nothing about this one
}

TEST(ValidationCache, UnknownResultsAreNotCached) {
  TempDir dir;
  const auto cache = dir.path() / "cache.json";
  FakeSentry failing(answer(503, "busy", "text/plain"));
  const Credential token{"sentry-user-token", fake_user_token("flaky"), {}};
  std::vector<ScanIssue> issues;
  run({token}, local_settings(failing.url()), cache, issues);
  run({token}, local_settings(failing.url()), cache, issues);
  EXPECT_EQ(failing.count(), 2u);
}

TEST(ValidationCache, CorruptFileIsAWarningAndIsLeftAsItIs) {
  TempDir dir;
  const std::string bytes = "{ this is not json";
  const auto cache = dir.write("cache.json", bytes);
  FakeSentry sentry;
  const Credential token{"sentry-user-token", fake_user_token("corrupt"), {}};
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::vector<ScanIssue> issues;
    const auto results = run({token}, local_settings(sentry.url()), cache, issues);
    EXPECT_EQ(results[0].status, ValidationStatus::live);
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].kind, ScanIssue::Kind::warning);
    EXPECT_EQ(issues[0].where, cache.string());
    EXPECT_NE(issues[0].message.find("not a sentryscan cache"), std::string::npos);
    EXPECT_EQ(read_file(cache), bytes) << "not ours: never rewritten";
  }
  EXPECT_EQ(sentry.count(), 2u);  // without a cache each run asks
  EXPECT_EQ(entries_in(dir.path()), 1u) << "no temporary file left behind";
}

// The path may name anything; only a file with the sentryscan format marker
// is ever read or replaced.
TEST(ValidationCache, NothingButASentryscanCacheIsReadOrReplaced) {
  TempDir dir;
  const std::string foreign[] = {
      std::string(),                                                 // empty
      "export PATH=\"$HOME/bin:$PATH\"\n",                          // a shell profile
      R"({"entries":{}})",                                          // JSON without the marker
      R"({"format":"someone-elses-cache","version":1,"entries":{}})",  // another marker
      R"(["sentryscan-validation-cache"])",
  };
  for (const std::string& bytes : foreign) {
    const auto file = dir.write("file", bytes);
    validate::ValidationCache cache(file, 3600);
    EXPECT_NE(cache.load(1'700'000'000).find("not a sentryscan cache"), std::string::npos) << bytes;
    cache.store(std::string(64, 'a'), "https://sentry.io", kLive, 1'700'000'000);
    EXPECT_EQ(cache.save(1'700'000'000), "");  // nothing to say twice: load() already did
    EXPECT_EQ(read_file(file), bytes);
  }
  std::filesystem::create_directory(dir.path() / "a-directory");
  validate::ValidationCache directory(dir.path() / "a-directory", 3600);
  EXPECT_NE(directory.load(1'700'000'000).find("not a regular file"), std::string::npos);
}

TEST(ValidationCache, SymbolicLinksAreNeitherFollowedNorReplaced) {
  TempDir dir;
  const auto target = dir.write("target.json", R"({"format":"sentryscan-validation-cache","version":1,"entries":{}})");
  const std::string target_bytes = read_file(target);
  const auto link = dir.path() / "cache.json";
  std::filesystem::create_symlink(target, link);
  const auto dangling = dir.path() / "dangling.json";
  std::filesystem::create_symlink(dir.path() / "would-be-created", dangling);
  for (const auto& path : {link, dangling}) {
    validate::ValidationCache cache(path, 3600);
    EXPECT_NE(cache.load(1'700'000'000).find("symbolic link"), std::string::npos);
    cache.store(std::string(64, 'a'), "https://sentry.io", kLive, 1'700'000'000);
    EXPECT_EQ(cache.save(1'700'000'000), "");
    EXPECT_TRUE(std::filesystem::is_symlink(std::filesystem::symlink_status(path)));
  }
  EXPECT_EQ(read_file(target), target_bytes);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "would-be-created"));
}

// What is at the path is checked again just before it is replaced: a file put
// there during the run (another tool, a second sentryscan) is not clobbered.
TEST(ValidationCache, AFileThatAppearsDuringTheRunIsNotReplaced) {
  TempDir dir;
  const auto path = dir.path() / "cache.json";
  const Validation live{ValidationStatus::live, 200, "ok"};
  {
    validate::ValidationCache cache(path, 3600);
    ASSERT_EQ(cache.load(1'700'000'000), "");  // missing: will be created
    cache.store(std::string(64, 'a'), "https://sentry.io", live, 1'700'000'000);
    dir.write("cache.json", "written meanwhile\n");
    EXPECT_NE(cache.save(1'700'000'000), "");
    EXPECT_EQ(read_file(path), "written meanwhile\n");
  }
  {
    dir.write("cache.json", R"({"format":"sentryscan-validation-cache","version":1,"entries":{}})");
    validate::ValidationCache cache(path, 3600);
    ASSERT_EQ(cache.load(1'700'000'000), "");  // ours: will be replaced
    cache.store(std::string(64, 'a'), "https://sentry.io", live, 1'700'000'000);
    dir.write("cache.json", "replaced meanwhile\n");
    EXPECT_NE(cache.save(1'700'000'000).find("left untouched"), std::string::npos);
    EXPECT_EQ(read_file(path), "replaced meanwhile\n");
    std::filesystem::remove(path);
    std::filesystem::create_symlink(dir.path() / "victim", path);
    EXPECT_NE(cache.save(1'700'000'000), "");
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "victim"));
  }
  EXPECT_EQ(entries_in(dir.path()), 1u) << "no temporary file left behind";
}

TEST(ValidationCache, WrongTypesInsideTheFileAreIgnored) {
  TempDir dir;
  const auto cache = dir.write("cache.json", R"({"format":7,"version":"x","entries":[]})");
  validate::ValidationCache loaded(cache, 3600);
  EXPECT_FALSE(loaded.load(1'700'000'000).empty());
  const auto cache2 = dir.write("cache2.json", R"({"format":"sentryscan-validation-cache","version":1,"entries":{
    "zz":{"status":"live","checked_at":1},
    ")" + std::string(64, 'a') + R"(":{"status":"unknown","checked_at":1699999999},
    ")" + std::string(64, 'b') + R"(":{"status":"live","checked_at":"yesterday"},
    ")" + std::string(64, 'c') + R"(":{"status":"live","checked_at":1699999999,"base":"https://sentry.io","detail":5}}})");
  validate::ValidationCache entries(cache2, 3600);
  EXPECT_FALSE(entries.load(1'700'000'000).empty());  // a field of the wrong type: not trusted at all
  // It carries our marker, so it is ours to replace with a sound one.
  entries.store(std::string(64, 'd'), "https://sentry.io", Validation{ValidationStatus::revoked, 401, "no"},
                1'700'000'000);
  EXPECT_EQ(entries.save(1'700'000'000), "");
  validate::ValidationCache reloaded(cache2, 3600);
  EXPECT_EQ(reloaded.load(1'700'000'000), "");
  EXPECT_TRUE(reloaded.lookup(std::string(64, 'd'), "https://sentry.io", 1'700'000'000).has_value());
}

}  // namespace
}  // namespace sentryscan::testing
