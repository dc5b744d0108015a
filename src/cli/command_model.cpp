#include "cli/command_model.h"

#include <CLI/CLI.hpp>

namespace sentryscan::cli {
namespace {

// CLI11 writes the allowed values into the type name: "TEXT:{text,json}" for
// IsMember, "ENUM:value in {critical->3,high->2} OR {3,2}" for a transformer.
std::vector<std::string> choices_of(const std::string& type_name) {
  std::vector<std::string> choices;
  const auto open = type_name.find('{');
  const auto close = type_name.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return choices;
  std::string item;
  for (char c : type_name.substr(open + 1, close - open - 1) + ",") {
    if (c != ',') {
      item += c;
      continue;
    }
    if (const auto arrow = item.find("->"); arrow != std::string::npos) item.resize(arrow);
    if (!item.empty()) choices.push_back(item);
    item.clear();
  }
  return choices;
}

ValueKind value_kind(const CLI::Option& option, const std::vector<std::string>& choices) {
  if (option.get_expected_max() == 0) return ValueKind::none;  // a flag
  if (!choices.empty()) return ValueKind::choice;
  const std::string& type = option.get_type_name();
  if (type.starts_with("UINT") || type.starts_with("INT") || type.starts_with("FLOAT")) return ValueKind::number;
  return ValueKind::file;
}

OptionInfo read_option(const CLI::Option& option) {
  OptionInfo info;
  info.positional = !option.nonpositional();
  if (info.positional) {
    info.long_names.push_back(option.get_name(true));
  } else {
    info.long_names = option.get_lnames();
    info.short_names = option.get_snames();
  }
  info.description = option.get_description();
  info.type_name = option.get_type_name();
  info.choices = choices_of(info.type_name);
  info.value = info.positional && info.choices.empty() ? ValueKind::file : value_kind(option, info.choices);
  info.repeatable = option.get_items_expected_max() > 1;
  return info;
}

std::string positional_usage(const OptionInfo& option) {
  return " [" + option.long_names.front() + (option.repeatable ? "...]" : "]");
}

Command read_command(const CLI::App& app, const std::string& program) {
  Command command;
  command.name = app.get_parent() ? app.get_name() : "";
  command.description = app.get_description();
  command.usage = program + (command.name.empty() ? "" : " " + command.name) + " [OPTIONS]";
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden
    command.options.push_back(read_option(*option));
    const OptionInfo& added = command.options.back();
    if (added.positional) command.usage += positional_usage(added);
  }
  if (!app.get_parent()) command.usage += " SUBCOMMAND";
  return command;
}

}  // namespace

std::vector<Command> read_commands(const CLI::App& root) {
  const std::string program = "sentryscan";
  std::vector<Command> commands{read_command(root, program)};
  for (const CLI::App* sub : root.get_subcommands([](const CLI::App* app) { return !app->get_group().empty(); }))
    commands.push_back(read_command(*sub, program));
  return commands;
}

std::vector<std::string> option_spellings(const Command& command) {
  std::vector<std::string> spellings;
  for (const OptionInfo& option : command.options) {
    if (option.positional) continue;
    for (const auto& name : option.long_names) spellings.push_back("--" + name);
    for (const auto& name : option.short_names) spellings.push_back("-" + name);
  }
  return spellings;
}

}  // namespace sentryscan::cli
