// The --state file: round trip, damage, the settings digest, and the atomic writer.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "app/audit_state.h"
#include "core/input_error.h"
#include "support/temp_dir.h"

namespace sentryscan {
namespace {

using testing::TempDir;

AuditState sample(std::size_t seen) {
  AuditState state;
  RepositoryState& record = state.repositories["/srv/git/app.git"];
  record.audited_at = "2026-12-01T00:00:00Z";
  record.settings_digest = std::string(64, 'a');
  record.tips.push_back({"refs/heads/main", std::string(40, 'b')});
  for (std::size_t i = 0; i < seen; ++i) record.seen.emplace("sentry-user-token", fmt::format("sentryscan:v1:{:032}", i));
  return state;
}

TEST(AuditState, RoundTrips) {
  const AuditState state = sample(3);
  const AuditState back = parse_state(serialize_state(state), "state.json");
  ASSERT_EQ(back.repositories.size(), 1u);
  const auto& record = back.repositories.at("/srv/git/app.git");
  EXPECT_EQ(record.audited_at, "2026-12-01T00:00:00Z");
  EXPECT_EQ(record.tips.size(), 1u);
  EXPECT_EQ(record.tips[0].ref, "refs/heads/main");
  EXPECT_EQ(record.seen, state.repositories.at("/srv/git/app.git").seen);
}

TEST(AuditState, DamageIsAnInputError) {
  EXPECT_THROW(parse_state("", "s"), InputError);
  EXPECT_THROW(parse_state("[]", "s"), InputError);
  EXPECT_THROW(parse_state(R"({"repositories": {}})", "s"), InputError);
  EXPECT_THROW(parse_state(R"({"sentryscan_state": 2, "repositories": {}})", "s"), InputError);
  EXPECT_THROW(parse_state(R"({"sentryscan_state": 1, "repositories": []})", "s"), InputError);
  std::string text = serialize_state(sample(1));
  text.replace(text.find(std::string(40, 'b')), 40, std::string(40, 'g'));
  EXPECT_THROW(parse_state(text, "s"), InputError);
  EXPECT_NO_THROW(parse_state(R"({"sentryscan_state": 1, "repositories": {}})", "s"));
}

TEST(AuditState, MissingFileIsAnEmptyState) {
  TempDir dir;
  EXPECT_TRUE(read_state(dir.path() / "none.json").repositories.empty());
}

TEST(AuditState, DigestFollowsWhatChangesFindings) {
  Settings base;
  const std::string digest = settings_digest(base, false);
  EXPECT_EQ(digest.size(), 64u);
  EXPECT_EQ(settings_digest(base, false), digest);
  EXPECT_NE(settings_digest(base, true), digest);
  Settings limits = base;
  limits.limits.max_archive_entries += 1;
  EXPECT_NE(settings_digest(limits, false), digest);
  Settings excluded = base;
  excluded.exclude_patterns.push_back({"vendor/**", Origin::flag});
  EXPECT_NE(settings_digest(excluded, false), digest);
  Settings ignored = base;
  ignored.ignore.fingerprints.insert("sentryscan:v1:00000000000000000000000000000000");
  EXPECT_NE(settings_digest(ignored, false), digest);
  // How findings are shown does not matter.
  Settings shown = base;
  shown.format = ReportFormat::sarif;
  shown.show_secrets = true;
  shown.limits.threads = 7;
  EXPECT_EQ(settings_digest(shown, false), digest);
}

// A write that fails half-way (here: the file size limit, EFBIG) leaves the
// old file as it was and no temporary file behind.
TEST(AuditState, FailedWriteLeavesTheOldFile) {
  TempDir dir;
  const auto path = dir.path() / "state.json";
  ASSERT_FALSE(write_state(path, sample(1)).has_value());
  const std::string before = testing::read_file(path);

  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto old_handler = signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = 4096;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const auto problem = write_state(path, sample(1000));  // ~70 KB
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, old_handler);

  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("cannot write"), std::string::npos) << *problem;
  EXPECT_EQ(testing::read_file(path), before);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(AuditState, WriteReplacesTheFile) {
  TempDir dir;
  const auto path = dir.path() / "state.json";
  ASSERT_FALSE(write_state(path, sample(1)).has_value());
  ASSERT_FALSE(write_state(path, sample(2)).has_value());
  EXPECT_EQ(read_state(path).repositories.at("/srv/git/app.git").seen.size(), 2u);
  EXPECT_TRUE(write_state(dir.path() / "missing" / "state.json", sample(1)).has_value());
}

}  // namespace
}  // namespace sentryscan
