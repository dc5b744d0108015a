// Reports end up as CI artifacts and in code-scanning UIs: no format may leak
// a secret unless the user asked for it (SPEC 2, Output).
#include <gtest/gtest.h>

#include "support/report_fixtures.h"

namespace sentryscan::testing {
namespace {

constexpr ReportFormat kAllFormats[] = {ReportFormat::text, ReportFormat::json, ReportFormat::jsonl,
                                        ReportFormat::sarif, ReportFormat::github};

// Distinctive inner pieces of each secret: redaction must drop them too, not
// only the whole string.
std::vector<std::string> secret_cores(const Report& report) {
  std::vector<std::string> cores;
  for (const auto& f : report.findings) {
    cores.push_back(f.secret);
    cores.push_back(f.secret.substr(10, f.secret.size() - 14));
  }
  // The 43-character random part of the org token.
  const std::string& org = report.findings[0].secret;
  cores.push_back(org.substr(org.rfind('_') + 1));
  return cores;
}

TEST(Redaction, NoFormatPrintsAFullSecretByDefault) {
  const Report report = full_report();
  for (ReportFormat format : kAllFormats) {
    const std::string out = render(format, report);
    for (const auto& core : secret_cores(report))
      EXPECT_EQ(out.find(core), std::string::npos) << "format " << static_cast<int>(format) << " leaks " << core.size()
                                                   << " secret characters";
    // The redacted form is there, so the user can still tell findings apart.
    EXPECT_NE(out.find(redact(report.findings[1].secret)), std::string::npos) << static_cast<int>(format);
  }
}

TEST(Redaction, ShowSecretsPrintsThemInFullExceptInSarif) {
  const Report report = full_report();
  for (ReportFormat format : kAllFormats) {
    const std::string out = render(format, report, {.show_secrets = true});
    for (const auto& f : report.findings) {
      if (format == ReportFormat::sarif)
        EXPECT_EQ(out.find(f.secret), std::string::npos) << "SARIF must stay redacted";
      else
        EXPECT_NE(out.find(f.secret), std::string::npos) << "format " << static_cast<int>(format) << " " << f.rule_id;
    }
  }
}

}  // namespace
}  // namespace sentryscan::testing
