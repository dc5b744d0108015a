// Reporters: text, json, jsonl, sarif, github, gitlab, html (SPEC 2, Output).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "scan/scan_result.h"
#include "rules/rule.h"
#include "settings/base_url.h"
#include "settings/report_format.h"
#include "suppress/suppress.h"

namespace sentryscan {


struct Report {
  std::vector<Finding> findings;  // what remains after suppression
  SuppressionCounts suppressed;
  std::vector<ScanIssue> issues;
  ScanStats stats;
  const std::vector<Rule>* rules = nullptr;  // rule metadata for SARIF; may be null
  ValidationCounts validation;  // what --validate made of the findings; all zero without it
  std::int64_t finished_at = 0;  // Unix seconds when the scan ended (gitlab's scan times); 0: unknown
};

// Whether a finding fails the run (exit 1): at or above fail_on, and with
// --only-live live as well. The unknown findings --only-live keeps listed do
// not fail it; they make it incomplete (validate/stage.h).
bool fails_run(const Report& report, const Finding& finding, Severity fail_on);

struct ReportOptions {
  bool show_secrets = false;  // otherwise every secret is redacted
  bool color = false;         // ANSI colour (text only); the CLI sets it on a TTY only
  Severity fail_on = Severity::medium;
  // Commit authors' e-mail addresses in sarif and gitlab reports, which end up
  // in shared UIs (code scanning, the security dashboard); json and text always
  // carry them (SPEC's json schema).
  bool author_email = false;
  // The text report's "scan issues" section. The CLI turns it off when the
  // report goes to standard output, where stderr already shows each problem
  // to the same person; the summary line still counts them.
  bool list_problems = true;
  // Self-hosted Sentry bases the user allowed (--sentry-url, [validate]
  // sentry_urls): the html report links revoke pages on sentry.io and on
  // these only, never on a host named by a token's payload.
  std::vector<validate::BaseUrl> link_bases{};
  // text, json and jsonl: one entry per secret instead of one per location
  // (report/group_by_secret.h). Other formats ignore it (settings refuse it).
  bool group_by_secret = false;
};

void write_report(std::ostream& out, ReportFormat format, const Report& report, const ReportOptions& options);

}  // namespace sentryscan
