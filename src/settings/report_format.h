// The report formats (SPEC 2, Output); chosen in settings, written by report/.
#pragma once

#include <optional>
#include <string_view>

namespace sentryscan {

enum class ReportFormat { text, json, jsonl, sarif, github, gitlab, html };

std::optional<ReportFormat> parse_report_format(std::string_view name);

// --group-by: one entry per location (a blob version, a file) or one per
// secret (rule + fingerprint). `automatic` is per secret for the text report
// of a history audit (cli/cmd_git.cpp decides), per location everywhere else.
enum class GroupBy { automatic, location, secret };

// "location" or "secret"; "" is automatic.
std::optional<GroupBy> parse_group_by(std::string_view name);

}  // namespace sentryscan
