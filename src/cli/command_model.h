// What the completion scripts and the man page need to know about the CLI,
// read from the CLI11 app (cli/shell_completion.h uses it):
//   for (const Command& command : read_commands(root)) ...
// The first Command is the program itself (empty name); the others are its
// visible subcommands in the order --help lists them.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace sentryscan::cli {

enum class ValueKind { none, file, number, choice };

struct OptionInfo {
  std::vector<std::string> long_names;   // without the leading "--"
  std::vector<std::string> short_names;  // without the leading "-"
  std::string description;
  std::string type_name;                 // CLI11's, e.g. "TEXT:{text,json}"
  ValueKind value = ValueKind::none;
  std::vector<std::string> choices;      // when value == choice
  bool repeatable = false;
  bool positional = false;               // then long_names holds its one name
};

struct Command {
  std::string name;  // empty for the program itself
  std::string description;
  std::string usage;  // "sentryscan scan [OPTIONS] [paths...]"
  std::vector<OptionInfo> options;
};

std::vector<Command> read_commands(const CLI::App& root);

// Every way to write the options of `command` on a command line ("--format", "-o").
std::vector<std::string> option_spellings(const Command& command);

}  // namespace sentryscan::cli
