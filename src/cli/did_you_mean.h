// "Did you mean ...?" for a mistyped subcommand or option. main() hands a
// CLI11 parse error here; the message names what was not understood and the
// closest known name (Damerau-Levenshtein distance at most 2, or a known
// name that starts with what was typed), escaped like every stderr write.
//
//   catch (const CLI::ParseError& e) { report_usage_error(app, e, argc, argv); return 2; }
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace sentryscan::cli {

// Optimal string alignment distance: insertions, deletions, substitutions
// and swaps of two adjacent characters each cost 1 ("sacn" -> "scan": 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest of `known` to `typed`, if close enough to be what was meant.
std::optional<std::string> closest_name(std::string_view typed, const std::vector<std::string>& known);

// Prints "sentryscan: error: ..." for a usage error, with a suggestion where
// one fits, then how to get help.
void report_usage_error(const CLI::App& app, const CLI::ParseError& error, int argc, const char* const* argv);

}  // namespace sentryscan::cli
