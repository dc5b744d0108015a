#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"sentryscan: find leaked Sentry credentials"};
  app.require_subcommand(1);
  int exit_code = 0;
  sentryscan::cli::register_git_command(app, exit_code);
  sentryscan::cli::register_staged_command(app, exit_code);
  sentryscan::cli::register_install_hook_command(app, exit_code);
  sentryscan::cli::register_validate_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
