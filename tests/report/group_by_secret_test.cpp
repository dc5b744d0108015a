// Grouping findings by secret (report/group_by_secret.h), in process.
#include <gtest/gtest.h>

#include <memory>

#include "report/group_by_secret.h"
#include "support/report_fixtures.h"

namespace sentryscan::testing {
namespace {

// The org token of the fixtures as another blob version of history.
Finding version(const std::string& blob, std::uint64_t rank, std::vector<BlobIntroduction> introductions,
                std::vector<std::string> tips, bool in_head) {
  Finding f = org_token_finding();
  f.source.blob = blob;
  auto history = std::make_shared<BlobHistory>();
  history->introductions = std::move(introductions);
  history->first_rank = rank;
  history->ref_tips = std::move(tips);
  history->in_head = in_head;
  history->tips_checked = history->tips_total = 4;
  f.source.history = history;
  return f;
}

TEST(GroupBySecret, BlobVersionsOfOneSecretMergeIntoOneGroup) {
  std::vector<Finding> findings;
  findings.push_back(user_token_finding());
  findings.push_back(version("b2", 7, {{"c2", "", "", "2024-02-01T00:00:00Z", "", "a.yml"}}, {"refs/tags/v1"}, false));
  findings.push_back(version("b1", 3,
                             {{"c1", "Jane", "jane@example.com", "2024-01-01T00:00:00Z", "first", "a.yml"},
                              {"c3", "", "", "", "", "b.yml"}},
                             {"refs/heads/old", "HEAD"}, true));
  const auto groups = group_by_secret(findings);
  ASSERT_EQ(groups.size(), 2u);
  const SecretGroup& org = groups[0];  // critical first
  EXPECT_EQ(org.first->rule_id, "sentry-org-token");
  EXPECT_EQ(org.locations.size(), 2u);
  EXPECT_EQ(org.first_entry.commit, "c1");  // the lowest rank, whatever the order of locations
  EXPECT_EQ(org.first_entry.message, "first");
  EXPECT_EQ(org.blob_versions, 2u);
  EXPECT_EQ(org.paths, 2u);
  EXPECT_EQ(org.commits, 3u);
  EXPECT_TRUE(org.history_known);
  EXPECT_TRUE(org.in_head);
  EXPECT_EQ(org.ref_tips, (std::vector<std::string>{"HEAD", "refs/heads/old", "refs/tags/v1"}));

  const SecretGroup& user = groups[1];  // a file finding: no history
  EXPECT_FALSE(user.history_known);
  EXPECT_TRUE(user.first_entry.commit.empty());
  EXPECT_EQ(user.paths, 1u);
  EXPECT_EQ(user.blob_versions, 0u);
}

TEST(GroupBySecret, SameSecretInTwoRepositoriesIsTwoGroups) {
  Finding a = org_token_finding(), b = org_token_finding();
  a.source.repository = "https://example.com/a.git";
  b.source.repository = "https://example.com/b.git";
  EXPECT_EQ(group_by_secret({a, b}).size(), 2u);
  b.source.repository = a.source.repository;
  EXPECT_EQ(group_by_secret({a, b}).size(), 1u);
}

}  // namespace
}  // namespace sentryscan::testing
