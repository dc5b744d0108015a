#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/diagnostics.h"
#include "core/input_error.h"
#include "rules/rule_loader.h"

namespace sentryscan::cli {

void register_rules_command(CLI::App& app, int& exit_code) {
  struct State {
    std::vector<std::string> rules_files;
    std::string format = "text";
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand("rules", "List the rules (id, severity, description)");
  command->add_option("--rules", state->rules_files, "Extra rules TOML file (repeatable)")->allow_extra_args(false);
  command->add_option("--format", state->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  command->callback([state, &exit_code] {
    std::vector<Rule> rules;
    try {
      rules = load_rules({state->rules_files.begin(), state->rules_files.end()});
    } catch (const InputError& e) {
      print_error("{}", e.what());
      exit_code = 2;
      return;
    }
    if (state->format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& rule : rules)
        out.push_back({{"id", rule.id}, {"severity", to_string(rule.severity)}, {"description", rule.description}});
      fmt::print("{}\n", out.dump(2));
    } else {
      for (const auto& rule : rules) fmt::print("{:<26} {:<9} {}\n", rule.id, to_string(rule.severity), rule.description);
    }
    exit_code = 0;
  });
}

}  // namespace sentryscan::cli
