// The sentryscan executable: a thin CLI11 layer over sentryscan_lib.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"sentryscan: find leaked Sentry credentials in files and git history"};
  app.set_version_flag("--version", "sentryscan " SENTRYSCAN_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  sentryscan::cli::register_scan_command(app, exit_code);
  sentryscan::cli::register_git_command(app, exit_code);
  sentryscan::cli::register_staged_command(app, exit_code);
  sentryscan::cli::register_validate_command(app, exit_code);
  sentryscan::cli::register_rules_command(app, exit_code);
  sentryscan::cli::register_install_hook_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error is exit status 2.
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
