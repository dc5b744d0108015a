// `sentryscan validate`: credentials on stdin, one per line, never on argv
// (argv is visible to every user through ps). All logic is in src/validate/.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/diagnostics.h"
#include "app/config_files.h"
#include "cli/common_options.h"
#include "settings/config_file.h"
#include "core/input_error.h"
#include "validate/stdin_credentials.h"

namespace sentryscan::cli {
namespace {

struct ValidateCommand {
  validate::ValidationOptions flags;
  std::string format = "text";
  std::string config;
  bool show_secrets = false;
};

int run_validate_command(const ValidateCommand& command, std::size_t unexpected_arguments) {
  if (unexpected_arguments > 0) {
    // Not echoed: the argument may well be the secret the user meant to pipe in.
    print_message(
        "validate reads credentials from stdin only (argv is visible in ps); "
        "{} unexpected argument(s) not shown\n  usage: sentryscan validate < credentials.txt",
        unexpected_arguments);
    return 2;
  }
  LowArgs args;
  args.config = command.config;
  args.validate = command.flags;
  args.validate.enabled = true;
  const auto resolved = load_settings(args, std::nullopt);  // the user's --config only
  if (!resolved) return 2;
  const validate::ValidationSettings& settings = resolved->validation;

  if (isatty(STDIN_FILENO))
    print_message("reading credentials from stdin, one per line (end with Ctrl-D)");
  const auto lines = validate::read_credential_lines(std::cin);
  if (lines.empty()) {
    print_message("no credentials on stdin (one per line)");
    return 2;
  }

  std::vector<ScanIssue> issues;
  auto checked = validate::check_lines(lines, settings, issues);
  for (const auto& issue : issues)
    print_warning("{}{}", issue.where.empty() ? "" : issue.where + ": ", issue.message);
  const int exit_code = validate::checked_exit_code(checked);

  // As for `scan --only-live`: what could not be checked is never hidden.
  if (command.flags.only_live)
    std::erase_if(checked, [](const auto& c) {
      return c.validation.status != ValidationStatus::live && c.validation.status != ValidationStatus::unknown;
    });
  if (command.format == "json")
    validate::write_checked_json(std::cout, checked, command.show_secrets);
  else
    validate::write_checked_text(std::cout, checked, command.show_secrets);
  std::cout.flush();
  return exit_code;
}

}  // namespace

void register_validate_command(CLI::App& app, int& exit_code) {
  auto command = std::make_shared<ValidateCommand>();
  CLI::App* sub = app.add_subcommand(
      "validate", "Read credentials from stdin (one per line) and tell whether each is live, revoked or unknown");
  sub->allow_extras();  // so a secret given on argv is refused without being echoed by the parser
  add_validate_tuning_flags(*sub, command->flags);
  sub->add_flag("--only-live", command->flags.only_live,
                "Print live credentials only, and those that could not be checked");
  sub->add_option("--format", command->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--config", command->config, "Read [validate] settings from this .sentryscan.toml (default: $SENTRYSCAN_CONFIG)");
  sub->add_flag("--show-secrets", command->show_secrets, "Print credentials in full instead of redacted");
  sub->footer(
      "Exit status: 0 nothing live and every credential determined (revoked, or a kind that cannot be checked),\n"
      "1 at least one live, 3 none live but some unknown/unchecked, 2 usage or configuration error.");
  sub->callback([command, sub, &exit_code] { exit_code = run_validate_command(*command, sub->remaining_size()); });
}

}  // namespace sentryscan::cli
