// Pieces shared by the reporters. Internal to src/report: not part of the
// stage interface (report.h).
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "report/report.h"

namespace sentryscan::report_detail {

// The tool that wrote a report, as SARIF's driver and GitLab's analyzer and
// scanner name it. SENTRYSCAN_VERSION comes from CMake (the project version).
inline constexpr std::string_view kToolVersion = SENTRYSCAN_VERSION;
inline constexpr std::string_view kToolUrl = "https://github.com/sentryscan/sentryscan";

void write_text(std::ostream& out, const Report& report, const ReportOptions& options);
void write_json(std::ostream& out, const Report& report, const ReportOptions& options);
void write_jsonl(std::ostream& out, const Report& report, const ReportOptions& options);
void write_sarif(std::ostream& out, const Report& report, const ReportOptions& options);
void write_github(std::ostream& out, const Report& report, const ReportOptions& options);
void write_gitlab(std::ostream& out, const Report& report, const ReportOptions& options);
void write_html(std::ostream& out, const Report& report, const ReportOptions& options);

// The secret as a report may show it: redacted unless the user asked otherwise.
std::string shown_secret(const Finding& finding, bool show_secrets);

struct FindingCounts {
  std::array<std::uint64_t, 4> by_severity{};  // indexed by Severity
  std::uint64_t total = 0;
  std::uint64_t failing = 0;  // fail the run: at or above fail_on (and live, with --only-live)
};

FindingCounts count_findings(const Report& report, Severity fail_on);

// "0 B", "512 B", "1.5 KiB", "12.3 MiB".
std::string human_bytes(std::uint64_t bytes);

// "1 file" / "3 files": the noun comes from ScanStats::item_noun (plural).
std::string count_noun(std::uint64_t count, std::string_view plural_noun);

// First 12 characters of a commit id: unique in practice, short enough to read.
std::string short_commit(std::string_view commit);

// One line, no colour: findings by severity, what was scanned, suppressions.
// Shared by the text summary and the github notice.
std::string summary_line(const Report& report, const ReportOptions& options);

// Paths, commit messages and server details are untrusted text: escape ASCII
// and C1 control characters (and invalid UTF-8) so they cannot move the
// cursor, recolour or rewrite a terminal, or break the one-line-per-field
// layout. The same escaping as every stderr message (core/terminal_text.h).
std::string terminal_safe(std::string_view text);

}  // namespace sentryscan::report_detail
