#include <CLI/CLI.hpp>

#include <filesystem>

#include "cli/commands.h"
#include "app/config_files.h"
#include "app/run_scan.h"
#include "cli/common_options.h"
#include "source/files/file_walker.h"

namespace sentryscan::cli {

namespace {
// .sentryscan.toml and .sentryscanignore are looked up in the one directory
// being scanned, or in the current directory for anything else.
std::filesystem::path scan_root(const std::vector<std::string>& paths) {
  std::error_code ec;
  if (paths.size() == 1 && paths.front() != "-" && std::filesystem::is_directory(paths.front(), ec))
    return paths.front();
  return ".";
}
}  // namespace

void register_scan_command(CLI::App& app, int& exit_code) {
  struct State {
    LowArgs common;
    std::vector<std::string> paths;
    bool follow_symlinks = false;
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand("scan", "Scan files and directory trees ('-' reads standard input)");
  command->add_option("paths", state->paths, "Files or directories (default: .)");
  command->add_flag("--follow-symlinks", state->follow_symlinks, "Follow symbolic links inside directories");
  add_common_options(*command, state->common);
  command->callback([state, &exit_code] {
    if (state->paths.empty()) state->paths.push_back(".");
    const auto settings = load_settings_from_directory(state->common, scan_root(state->paths));
    if (!settings) {
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_scan(*settings, [&](const Scanner& scanner, ScanSink& sink) {
      scan_paths(state->paths, WalkOptions{settings->exclude, state->follow_symlinks}, scanner, sink);
    });
  });
}

}  // namespace sentryscan::cli
