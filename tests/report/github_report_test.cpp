#include <gtest/gtest.h>

#include <sstream>

#include "support/report_fixtures.h"

namespace sentryscan::testing {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(GithubReport, OneAnnotationPerFindingWithLevelBySeverity) {
  const Report report = full_report();
  const Finding& f = report.findings[0];
  const auto lines = lines_of(render(ReportFormat::github, report));
  ASSERT_EQ(lines.size(), 4u + 2u + 1u);  // findings, issues, summary
  EXPECT_TRUE(lines[0].starts_with(fmt::format(
      "::error file=ci/deploy.yml,line=12,col=22,endLine=12,endColumn={},"
      "title=Sentry organization auth token (sentry-org-token)::critical Sentry organization auth token "
      "(sentry-org-token): {}%0Aintroduced in commit 0123456789ab by Jane Doe <jane@example.com> on "
      "2024-05-01T10:00:00Z: Add deploy pipeline%0Aorg: acme",
      f.location.end_column, redact(f.secret))))
      << lines[0];
  EXPECT_TRUE(lines[1].starts_with("::error file=app/settings.py,line=3,col=7,")) << lines[1];
  EXPECT_TRUE(lines[2].starts_with("::warning file=.sentryclirc,line=5,col=17,")) << lines[2];
  EXPECT_TRUE(lines[3].starts_with("::notice file=web/src/sentry.js,line=1,col=10,")) << lines[3];
  EXPECT_NE(lines[0].find("validation: live"), std::string::npos);
  EXPECT_NE(lines[0].find("%0Asuppress: add \"sentryscan:allow\" on that line, or add " + f.fingerprint), std::string::npos);
}

TEST(GithubReport, IssuesAndSummaryFollowTheFindings) {
  const auto lines = lines_of(render(ReportFormat::github, full_report()));
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[4], "::warning title=sentryscan%3A warning::big.bin: skipped: larger than --max-file-size");
  EXPECT_EQ(lines[5], "::error title=sentryscan%3A scan incomplete::secret/locked.env: permission denied");
  EXPECT_TRUE(lines[6].starts_with("::notice title=sentryscan::4 findings: 1 critical, 1 high, 1 medium, 1 low"))
      << lines[6];
}

TEST(GithubReport, PropertiesAndMessagesAreEscaped) {
  Finding f = user_token_finding();
  f.source.path = "we,ird:dir/100%\r\nname.env";
  f.source.kind = SourceKind::git;
  f.source.commit = "abcdef0123456789";
  f.source.message = "line one\n::set-env name=X::y 50%";
  const std::string text = render(ReportFormat::github, report_of({f}));
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), 2u) << "a newline in untrusted text must not start a new command:\n" << text;
  EXPECT_TRUE(lines[0].starts_with("::error file=we%2Cird%3Adir/100%25%0D%0Aname.env,line=3,")) << lines[0];
  EXPECT_NE(lines[0].find(": line one%0A::set-env name=X::y 50%25"), std::string::npos) << lines[0];
  for (const auto& line : lines) EXPECT_TRUE(line.starts_with("::")) << line;
}

TEST(GithubReport, MultiLineFindingsDropColumns) {
  Finding f = dsn_finding();
  f.location = {4, 9, 6, 3};
  const auto lines = lines_of(render(ReportFormat::github, report_of({f})));
  EXPECT_TRUE(lines[0].starts_with("::notice file=web/src/sentry.js,line=4,endLine=6,title=")) << lines[0];
}

TEST(GithubReport, NoFindingsIsOneNotice) {
  const auto lines = lines_of(render(ReportFormat::github, Report{}));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].starts_with("::notice title=sentryscan::no Sentry credentials found;")) << lines[0];
}

}  // namespace
}  // namespace sentryscan::testing
