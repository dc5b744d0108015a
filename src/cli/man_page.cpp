// The man page is generated from the same CLI11 app as --help (see
// cli/shell_completion.h), so the two never disagree.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/command_model.h"
#include "cli/shell_completion.h"

namespace sentryscan::cli {
namespace {

// Text made safe for roff: backslashes and hyphens escaped, and a line that
// would start with a control character ('.' or ') made literal.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
    line_start = c == '\n';
  }
  return out;
}

std::string option_entry(const OptionInfo& option) {
  std::vector<std::string> spellings;
  for (const auto& name : option.short_names) spellings.push_back("-" + name);
  for (const auto& name : option.long_names) spellings.push_back(option.positional ? name : "--" + name);
  std::string head;
  for (const auto& spelling : spellings) head += (head.empty() ? "" : ", ") + fmt::format("\\fB{}\\fR", roff(spelling));
  if (!option.positional && option.value != ValueKind::none) head += fmt::format(" \\fI{}\\fR", roff(option.type_name));
  return fmt::format(".TP\n{}\n{}\n", head, roff(option.description));
}

std::string options_section(const Command& command) {
  std::string out;
  for (const auto& option : command.options) out += option_entry(option);
  return out;
}

}  // namespace

std::string man_page(const CLI::App& root) {
  const std::vector<Command> commands = read_commands(root);
  std::string summary = root.get_description();
  if (const auto colon = summary.find(": "); colon != std::string::npos) summary = summary.substr(colon + 2);
  std::string out = fmt::format(".TH SENTRYSCAN 1 \"\" \"sentryscan {}\" \"User Commands\"\n", SENTRYSCAN_VERSION);
  out += fmt::format(".SH NAME\nsentryscan \\- {}\n", roff(summary));
  out += ".SH SYNOPSIS\n";
  for (std::size_t i = 1; i < commands.size(); ++i) out += fmt::format(".br\n{}\n", roff(commands[i].usage));
  out += fmt::format(".SH DESCRIPTION\n{}\n", roff(root.get_description()));
  out += ".SH OPTIONS\n" + options_section(commands.front());
  out += ".SH COMMANDS\n";
  for (std::size_t i = 1; i < commands.size(); ++i) {
    const Command& command = commands[i];
    out += fmt::format(".SS \"{}\"\n{}\n.PP\n{}\n", roff(command.name), roff(command.usage), roff(command.description));
    out += options_section(command);
  }
  // The root's footer ("Exit status: 0 clean, 1 ...") is the EXIT STATUS section.
  std::string footer = root.get_footer();
  if (const auto colon = footer.find(": "); colon != std::string::npos) footer = footer.substr(colon + 2);
  if (!footer.empty()) out += fmt::format(".SH EXIT STATUS\n{}\n", roff(footer));
  out += ".SH SEE ALSO\n\\fBgit\\fR(1); README.md in the documentation directory "
         "(/usr/share/doc/sentryscan when installed from the package).\n";
  return out;
}

}  // namespace sentryscan::cli
