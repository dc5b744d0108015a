#include "report/report.h"

#include "core/secret_hash.h"
#include "report/report_internal.h"

namespace sentryscan {

void write_report(std::ostream& out, ReportFormat format, const Report& report, const ReportOptions& options) {
  switch (format) {
    case ReportFormat::text: report_detail::write_text(out, report, options); break;
    case ReportFormat::json: report_detail::write_json(out, report, options); break;
    case ReportFormat::jsonl: report_detail::write_jsonl(out, report, options); break;
    case ReportFormat::sarif: report_detail::write_sarif(out, report, options); break;
    case ReportFormat::github: report_detail::write_github(out, report, options); break;
    case ReportFormat::gitlab: report_detail::write_gitlab(out, report, options); break;
    case ReportFormat::html: report_detail::write_html(out, report, options); break;
  }
  out.flush();
}

bool fails_run(const Report& report, const Finding& finding, Severity fail_on) {
  if (finding.severity < fail_on) return false;
  return !report.validation.only_live || finding.validation.status == ValidationStatus::live;
}

namespace report_detail {

std::string shown_secret(const Finding& finding, bool show_secrets) {
  // A report read back (merge) already shows its secret as it was written.
  if (finding.secret_as_reported || show_secrets) return finding.secret;
  return redact(finding.secret);
}

FindingCounts count_findings(const Report& report, Severity fail_on) {
  FindingCounts counts;
  for (const auto& finding : report.findings) {
    ++counts.by_severity[static_cast<std::size_t>(finding.severity)];
    ++counts.total;
    if (fails_run(report, finding, fail_on)) ++counts.failing;
  }
  return counts;
}

}  // namespace report_detail
}  // namespace sentryscan
