// How the reporting flags and the environment resolve: --color, --no-color,
// NO_COLOR, `-o -`, --include-author-email.
#include <gtest/gtest.h>

#include "settings/settings.h"

namespace sentryscan {
namespace {

Environment no_color_set() {
  Environment env;
  env.no_color = true;
  return env;
}

Settings resolved(LowArgs args, Environment env = {}) {
  SettingsInput input;
  input.args = std::move(args);
  input.env = env;
  return resolve_settings(input);
}

TEST(ReportSettings, ColourIsAutomaticByDefault) { EXPECT_EQ(resolved({}).color, ColorMode::automatic); }

TEST(ReportSettings, ColorFlagChoosesAndWinsOverNoColor) {
  LowArgs always;
  always.color = "always";
  EXPECT_EQ(resolved(always, no_color_set()).color, ColorMode::always);
  LowArgs never;
  never.color = "never";
  EXPECT_EQ(resolved(never).color, ColorMode::never);
  LowArgs old_flag;
  old_flag.no_color = true;
  EXPECT_EQ(resolved(old_flag).color, ColorMode::never);
  EXPECT_EQ(resolved({}, no_color_set()).color, ColorMode::never);
}

TEST(ReportSettings, EmptyNoColorDoesNotCount) {
  ::setenv("NO_COLOR", "", 1);
  EXPECT_FALSE(Environment::from_process().no_color);
  ::setenv("NO_COLOR", "0", 1);
  EXPECT_TRUE(Environment::from_process().no_color) << "any non-empty value counts, even 0";
  ::unsetenv("NO_COLOR");
  EXPECT_FALSE(Environment::from_process().no_color);
}

TEST(ReportSettings, DashOutputIsStandardOutput) {
  LowArgs dash;
  dash.output = "-";
  EXPECT_TRUE(resolved(dash).output.empty());
  LowArgs file;
  file.output = "report.sarif";
  EXPECT_EQ(resolved(file).output, "report.sarif");
}

TEST(ReportSettings, AuthorEmailOnlyWhenAsked) {
  EXPECT_FALSE(resolved({}).author_email);
  LowArgs asked;
  asked.author_email = true;
  EXPECT_TRUE(resolved(asked).author_email);
}

}  // namespace
}  // namespace sentryscan
