// The sentryscan executable: a thin CLI11 layer over sentryscan_lib.
#include <CLI/CLI.hpp>
#include <malloc.h>

#include "cli/commands.h"
#include "cli/did_you_mean.h"

namespace {

// glibc gives each thread its own malloc arena, and each arena keeps what
// its thread freed: in a git audit every worker's arena held ~14 MiB, so
// peak memory grew with --threads (207 MiB at 2 threads, 290 MiB at 8, on
// the benchmark repository of bench/RESULTS.md). Two arenas bound that
// whatever the thread count (184 MiB at 2 threads, 195-200 MiB at 8) and
// cost no measurable time there.
constexpr int kMallocArenas = 2;

}  // namespace

int main(int argc, char** argv) {
  mallopt(M_ARENA_MAX, kMallocArenas);
  CLI::App app{"sentryscan: find leaked Sentry credentials in files and git history"};
  app.set_version_flag("--version", "sentryscan " SENTRYSCAN_VERSION);
  app.require_subcommand(1);
  // The man page's EXIT STATUS section is made from this footer (cli/man_page.cpp).
  app.footer(
      "Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error, "
      "3 incomplete scan (something could not be read or checked)");
  int exit_code = 0;
  sentryscan::cli::register_scan_command(app, exit_code);
  sentryscan::cli::register_git_command(app, exit_code);
  sentryscan::cli::register_staged_command(app, exit_code);
  sentryscan::cli::register_merge_command(app, exit_code);
  sentryscan::cli::register_validate_command(app, exit_code);
  sentryscan::cli::register_rules_command(app, exit_code);
  sentryscan::cli::register_install_hook_command(app, exit_code);
  sentryscan::cli::register_completion_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error is exit status 2.
    if (e.get_exit_code() == 0) return app.exit(e);
    sentryscan::cli::report_usage_error(app, e, argc, argv);
    return 2;
  }
  return exit_code;
}
