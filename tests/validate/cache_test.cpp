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

TEST(ValidationCache, CorruptFileIsAWarningNotAFailure) {
  TempDir dir;
  const auto cache = dir.write("cache.json", "{ this is not json");
  FakeSentry sentry;
  const Credential token{"sentry-user-token", fake_user_token("corrupt"), {}};
  std::vector<ScanIssue> issues;
  const auto results = run({token}, local_settings(sentry.url()), cache, issues);
  EXPECT_EQ(results[0].status, ValidationStatus::live);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].kind, ScanIssue::Kind::warning);
  EXPECT_NE(issues[0].message.find("not a sentryscan cache"), std::string::npos);
  issues.clear();
  run({token}, local_settings(sentry.url()), cache, issues);  // rewritten, so valid now
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(sentry.count(), 1u);
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
}

}  // namespace
}  // namespace sentryscan::testing
