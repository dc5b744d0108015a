#include "cli/did_you_mean.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/diagnostics.h"

namespace sentryscan::cli {
namespace {

// A typo of 1 in 2 characters is noise, not a near miss ("ab" is not "git").
bool close_enough(std::size_t distance, std::size_t typed_length) {
  return distance <= 2 && distance * 2 <= typed_length;
}

// Hidden subcommands and options (CLI11's empty group) are neither listed nor suggested.
std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (!sub->get_group().empty()) names.push_back(sub->get_name());
  return names;
}

const CLI::App* find_subcommand(const CLI::App& app, std::string_view name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

// Long names with their dashes ("--format"), and "--help".
std::vector<std::string> long_options(const CLI::App& command) {
  std::vector<std::string> names{"--help"};
  for (const CLI::Option* option : command.get_options())
    if (!option->get_group().empty())
      for (const auto& name : option->get_lnames()) names.push_back("--" + name);
  return names;
}

bool knows_option(const CLI::App& command, std::string_view token) {
  if (token == "-h" || token == "--help") return true;
  if (token.starts_with("--")) {
    const std::string name(token.substr(2, token.find('=') == std::string_view::npos ? token.npos : token.find('=') - 2));
    for (const CLI::Option* option : command.get_options())
      for (const auto& known : option->get_lnames())
        if (known == name) return true;
    return false;
  }
  // Short flags may be bundled (-qj4); only the first letter is checked.
  const std::string letter(token.substr(1, 1));
  for (const CLI::Option* option : command.get_options())
    for (const auto& known : option->get_snames())
      if (known == letter) return true;
  return false;
}

bool report_unknown_subcommand(const CLI::App& app, std::string_view typed) {
  const std::vector<std::string> names = subcommand_names(app);
  if (const auto guess = closest_name(typed, names)) {
    print_error("unknown subcommand '{}'; did you mean '{}'?", typed, *guess);
  } else {
    print_error("unknown subcommand '{}'; the subcommands are {}", typed, fmt::format("{}", fmt::join(names, ", ")));
  }
  print_message("run 'sentryscan --help' for more information");
  return true;
}

bool report_unknown_option(const CLI::App& command, std::string_view typed) {
  const std::string_view name = typed.substr(0, typed.find('='));
  // The top level is named after argv[0] by the parser; say "sentryscan".
  const std::string who = command.get_parent() == nullptr ? "sentryscan" : "sentryscan " + command.get_name();
  if (const auto guess = closest_name(name, long_options(command))) {
    print_error("unknown option '{}' for '{}'; did you mean '{}'?", name, who, *guess);
  } else {
    print_error("unknown option '{}' for '{}'", name, who);
  }
  print_message("run '{} --help' for its options", who);
  return true;
}

// What the command line names that the parser did not know, read from argv
// itself: the subcommand (the first word; sentryscan's own options take no
// value), then any option of that subcommand it does not have. False when
// nothing unknown is found, and CLI11's own message is used.
bool report_unknown_name(const CLI::App& app, int argc, const char* const* argv) {
  int at = 1;
  for (; at < argc && std::string_view(argv[at]).starts_with("-"); ++at)
    if (!knows_option(app, argv[at])) return report_unknown_option(app, argv[at]);
  if (at >= argc) return false;
  const std::string_view word = argv[at];
  const CLI::App* command = find_subcommand(app, word);
  if (!command) return report_unknown_subcommand(app, word);
  // `validate` takes extra words itself and never echoes them (they may be secrets).
  if (command->get_allow_extras()) return false;
  for (int i = at + 1; i < argc; ++i) {
    const std::string_view token = argv[i];
    if (token == "--") break;
    if (token.size() < 2 || token.front() != '-' || token == "-") continue;
    if (!knows_option(*command, token)) return report_unknown_option(*command, token);
  }
  return false;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the optimal-string-alignment table are enough.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> closest_name(std::string_view typed, const std::vector<std::string>& known) {
  const std::string_view bare = typed.substr(std::min(typed.find_first_not_of('-'), typed.size()));
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& name : known) {
    const std::string_view known_bare = std::string_view(name).substr(name.find_first_not_of('-'));
    const std::size_t distance = edit_distance(bare, known_bare);
    if (close_enough(distance, bare.size()) && (!best || distance < best_distance)) {
      best = name;
      best_distance = distance;
    }
  }
  if (best) return best;
  // An abbreviation: the shortest name it begins ("--valid" -> "--validate").
  if (bare.size() < 3) return std::nullopt;
  for (const auto& name : known) {
    const std::string_view known_bare = std::string_view(name).substr(name.find_first_not_of('-'));
    if (known_bare.starts_with(bare) && (!best || name.size() < best->size())) best = name;
  }
  return best;
}

void report_usage_error(const CLI::App& app, const CLI::ParseError& error, int argc, const char* const* argv) {
  const bool unknown_name = dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr ||
                            dynamic_cast<const CLI::RequiredError*>(&error) != nullptr;
  if (unknown_name && report_unknown_name(app, argc, argv)) return;
  // CLI11's own message quotes the offending argument raw; ours escapes it.
  print_error("{}", error.what());
  print_message("run with --help for more information");
}

}  // namespace sentryscan::cli
