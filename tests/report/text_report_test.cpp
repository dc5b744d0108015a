#include <gtest/gtest.h>

#include "support/report_fixtures.h"

namespace sentryscan::testing {
namespace {

// The lines of the block that starts with the finding's header line.
std::string block_of(const std::string& text, std::string_view rule_id) {
  const auto hit = text.find("  " + std::string(rule_id) + "  ");
  if (hit == std::string::npos) return "";
  const auto newline = text.rfind('\n', hit);
  const auto start = newline == std::string::npos ? 0 : newline + 1;
  const auto end = text.find("\n\n", hit);
  return text.substr(start, end - start + 1);
}

TEST(TextReport, GitFindingBlockCarriesEverythingAUserNeeds) {
  const Report report = full_report();
  const Finding& f = report.findings[0];
  const std::string block = block_of(render(ReportFormat::text, report), "sentry-org-token");
  ASSERT_FALSE(block.empty());
  EXPECT_TRUE(block.starts_with("CRITICAL  sentry-org-token  Sentry organization auth token\n")) << block;
  EXPECT_NE(block.find("ci/deploy.yml:12:22"), std::string::npos) << block;
  EXPECT_NE(block.find("0123456789ab  2024-05-01T10:00:00Z  Jane Doe <jane@example.com>"), std::string::npos) << block;
  EXPECT_EQ(block.find(f.source.commit), std::string::npos) << "commit id is shortened";
  EXPECT_NE(block.find("Add deploy pipeline"), std::string::npos);
  EXPECT_NE(block.find("2 other places"), std::string::npos);
  EXPECT_NE(block.find("secret:     " + redact(f.secret)), std::string::npos) << block;
  EXPECT_NE(block.find("org acme, url https://sentry.io, region https://us.sentry.io, issued 2024-05-01T00:00:00Z"),
            std::string::npos)
      << block;
  EXPECT_NE(block.find("LIVE"), std::string::npos);
  EXPECT_NE(block.find("HTTP 200"), std::string::npos);
  EXPECT_NE(block.find("suppress:   add \"sentryscan:allow\" on that line, or add " + f.fingerprint +
                       " to .sentryscanignore"),
            std::string::npos)
      << block;
}

TEST(TextReport, FileFindingShowsDsnBinaryDecodedAndValidation) {
  const std::string text = render(ReportFormat::text, full_report());
  const std::string dsn = block_of(text, "sentry-dsn");
  EXPECT_TRUE(dsn.starts_with("LOW       sentry-dsn")) << dsn;
  EXPECT_NE(dsn.find("web/src/sentry.js:1:10"), std::string::npos);
  EXPECT_NE(dsn.find("host o123.ingest.us.sentry.io, project 456, org id 123, region us, sentry.io (SaaS)"),
            std::string::npos)
      << dsn;
  EXPECT_EQ(dsn.find("validation:"), std::string::npos) << "not_checked is not shown";
  EXPECT_EQ(dsn.find("commit:"), std::string::npos);

  const std::string user = block_of(text, "sentry-user-token");
  EXPECT_TRUE(user.starts_with("HIGH      sentry-user-token")) << user;
  EXPECT_NE(user.find("revoked [HTTP 401, token revoked or expired]"), std::string::npos) << user;
  EXPECT_NE(user.find("binary file"), std::string::npos);
  EXPECT_NE(user.find("found after decoding base64"), std::string::npos);

  EXPECT_NE(block_of(text, "sentry-legacy-api-key").find("staged (index)"), std::string::npos);
}

TEST(TextReport, SelfHostedDsnIsSaidToBeSelfHosted) {
  Finding f = dsn_finding();
  f.dsn->saas = false;
  f.dsn->org_id.clear();
  f.dsn->region.clear();
  f.dsn->host = "sentry.corp.example";
  const std::string text = render(ReportFormat::text, report_of({f}));
  EXPECT_NE(text.find("host sentry.corp.example, project 456, self-hosted"), std::string::npos) << text;
}

TEST(TextReport, ColourOnlyWhenAsked) {
  const Report report = full_report();
  const std::string plain = render(ReportFormat::text, report, {.color = false});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  const std::string coloured = render(ReportFormat::text, report, {.color = true});
  EXPECT_NE(coloured.find("\x1b[1;31mCRITICAL"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[0m"), std::string::npos);
}

TEST(TextReport, UntrustedTextCannotDriveTheTerminal) {
  Finding f = org_token_finding();
  f.source.path = "evil\x1b]0;pwned\x07\n.env";
  f.source.message = "msg \xc2\x9b" "31m";  // C1 CSI
  const std::string text = render(ReportFormat::text, report_of({f}));
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos);
  EXPECT_NE(text.find("evil\\x1b]0;pwned\\x07\\n.env:12:22"), std::string::npos) << text;
}

TEST(TextReport, IssuesAreListedBeforeTheSummary) {
  const std::string text = render(ReportFormat::text, full_report());
  const auto warning = text.find("warning     big.bin: skipped: larger than --max-file-size\n");
  const auto incomplete = text.find("incomplete  secret/locked.env: permission denied\n");
  ASSERT_NE(warning, std::string::npos) << text;
  ASSERT_NE(incomplete, std::string::npos) << text;
  EXPECT_GT(warning, text.rfind("suppress:"));
  EXPECT_LT(incomplete, text.rfind("findings"));
}

TEST(TextReport, SummaryLineCountsEverything) {
  const std::string text = render(ReportFormat::text, full_report(), {.fail_on = Severity::high});
  ASSERT_FALSE(text.empty());
  const std::string last = text.substr(text.rfind('\n', text.size() - 2) + 1);
  EXPECT_EQ(last,
            "4 findings: 1 critical, 1 high, 1 medium, 1 low (2 at or above --fail-on high); "
            "scanned 1234 files (5.3 MiB) in 0.42 s, 1 skipped; 3 suppressed (2 inline, 1 baseline); "
            "INCOMPLETE: 1 problem not scanned\n");
}

TEST(TextReport, NoFindingsSaysSoClearly) {
  Report report;
  report.stats = {.items_scanned = 1, .bytes_scanned = 512, .items_skipped = 0, .seconds = 0.01, .item_noun = "blobs"};
  const std::string text = render(ReportFormat::text, report);
  EXPECT_EQ(text, "no Sentry credentials found; scanned 1 blob (512 B) in 0.01 s; 0 suppressed\n");
}

TEST(TextReport, SuppressedBreakdownNamesEachMechanism) {
  Report report;
  report.suppressed = {.inline_allow = 0, .ignore_file = 4, .baseline = 0};
  const std::string text = render(ReportFormat::text, report);
  EXPECT_NE(text.find("; 4 suppressed (4 ignore file)"), std::string::npos) << text;
}

}  // namespace
}  // namespace sentryscan::testing
