#include "settings/report_format.h"

namespace sentryscan {

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  if (name == "text") return ReportFormat::text;
  if (name == "json") return ReportFormat::json;
  if (name == "jsonl") return ReportFormat::jsonl;
  if (name == "sarif") return ReportFormat::sarif;
  if (name == "github") return ReportFormat::github;
  if (name == "gitlab") return ReportFormat::gitlab;
  if (name == "html") return ReportFormat::html;
  return std::nullopt;
}

std::optional<GroupBy> parse_group_by(std::string_view name) {
  if (name.empty()) return GroupBy::automatic;
  if (name == "location") return GroupBy::location;
  if (name == "secret") return GroupBy::secret;
  return std::nullopt;
}

}  // namespace sentryscan
