// Writing a report (or a baseline) to a file named on the command line, with
// the reason when that is impossible (SPEC 2: a report that cannot be written
// is a usage error, exit 2).
//
//   if (auto why = report_file_problem(settings.output))       // before scanning
//     { print_error("cannot write report to {}: {}", settings.output, *why); return kExitUsage; }
//   if (auto why = write_report_file(settings.output, bytes))  // after it
//     ...
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sentryscan {

// Why `path` cannot be written as a report ("No such file or directory",
// "Is a directory", "Permission denied"...), found without creating or
// changing anything; nullopt when it looks writable. Only what can be known
// early: a full disk shows when the report is written.
std::optional<std::string> report_file_problem(const std::string& path);

// Creates or truncates `path` and writes `bytes`; the reason on failure.
std::optional<std::string> write_report_file(const std::string& path, std::string_view bytes);

// Writes `bytes` to standard output; the reason on failure (a closed or full
// standard output, `>/dev/full`).
std::optional<std::string> write_standard_output(std::string_view bytes);

}  // namespace sentryscan
