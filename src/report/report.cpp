// STUB: replaced by the reporters work.
#include "report/report.h"

namespace sentryscan {

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  if (name == "text") return ReportFormat::text;
  if (name == "json") return ReportFormat::json;
  if (name == "jsonl") return ReportFormat::jsonl;
  if (name == "sarif") return ReportFormat::sarif;
  if (name == "github") return ReportFormat::github;
  return std::nullopt;
}

void write_report(std::ostream& out, ReportFormat, const Report& report, const ReportOptions&) {
  for (const auto& f : report.findings)
    out << f.rule_id << " " << f.source.path << ":" << f.location.line << ":" << f.location.column << "\n";
}

}  // namespace sentryscan
