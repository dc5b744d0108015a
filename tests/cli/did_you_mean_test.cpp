// The distance and the choice behind "did you mean ...?" (cli/did_you_mean.h).
#include <gtest/gtest.h>

#include "cli/did_you_mean.h"

namespace sentryscan::cli {
namespace {

TEST(DidYouMean, EditDistanceCountsASwapOfNeighboursAsOne) {
  EXPECT_EQ(edit_distance("sacn", "scan"), 1u);
  EXPECT_EQ(edit_distance("formt", "format"), 1u);
  EXPECT_EQ(edit_distance("stagde", "staged"), 1u);
  EXPECT_EQ(edit_distance("", "git"), 3u);
  EXPECT_EQ(edit_distance("git", "git"), 0u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(DidYouMean, ClosestNameNeedsToBeClose) {
  const std::vector<std::string> commands{"scan", "git", "staged", "validate", "rules", "install-hook"};
  EXPECT_EQ(closest_name("sacn", commands), "scan");
  EXPECT_EQ(closest_name("gti", commands), "git");
  EXPECT_EQ(closest_name("rule", commands), "rules");
  EXPECT_EQ(closest_name("install", commands), "install-hook");  // an abbreviation
  EXPECT_EQ(closest_name("frobnicate", commands), std::nullopt);
  EXPECT_EQ(closest_name("ab", commands), std::nullopt);  // 2 edits of 2 letters is anything

  const std::vector<std::string> options{"--format", "--fail-on", "--validate", "--validate-timeout", "--quiet"};
  EXPECT_EQ(closest_name("--formt", options), "--format");
  EXPECT_EQ(closest_name("--fail-no", options), "--fail-on");
  EXPECT_EQ(closest_name("--valid", options), "--validate");  // the shortest it begins
  EXPECT_EQ(closest_name("--zzzzzz", options), std::nullopt);
}

}  // namespace
}  // namespace sentryscan::cli
