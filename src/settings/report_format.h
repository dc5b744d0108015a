// The report formats (SPEC 2, Output); chosen in settings, written by report/.
#pragma once

#include <optional>
#include <string_view>

namespace sentryscan {

enum class ReportFormat { text, json, jsonl, sarif, github, gitlab };

std::optional<ReportFormat> parse_report_format(std::string_view name);

}  // namespace sentryscan
