#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <optional>

#include "cli/commands.h"
#include "app/config_files.h"
#include "app/run_scan.h"
#include "cli/common_options.h"
#include "core/diagnostics.h"
#include "source/files/file_walker.h"

namespace sentryscan::cli {

namespace {

// Where the lookup of .sentryscan.toml and .sentryscanignore starts: the
// deepest directory holding every path argument (a file's own directory),
// or the current directory for standard input and no arguments.
std::filesystem::path lookup_start(const std::vector<std::string>& paths) {
  std::optional<std::filesystem::path> common;
  for (const auto& argument : paths) {
    if (argument == "-") continue;
    std::error_code ec;
    std::filesystem::path path = std::filesystem::absolute(argument, ec);
    if (ec) continue;
    path = std::filesystem::weakly_canonical(path, ec);
    if (!std::filesystem::is_directory(path, ec)) path = path.parent_path();
    if (!common) {
      common = path;
      continue;
    }
    std::filesystem::path shared;
    for (auto a = common->begin(), b = path.begin(); a != common->end() && b != path.end() && *a == *b; ++a, ++b)
      shared /= *a;
    common = shared;
  }
  return common.value_or(".");
}

// The directory for messages: relative to the current one when inside it.
std::string shown_directory(const std::filesystem::path& directory) {
  std::error_code ec;
  const auto cwd = std::filesystem::weakly_canonical(std::filesystem::current_path(ec), ec);
  const auto relative = directory.lexically_relative(cwd);
  if (ec || relative.empty() || *relative.begin() == "..") return directory.string();
  return relative.string();
}

// Says which repository files apply (or that the user's config replaces one).
void say_which_files(const std::filesystem::path& directory, const LowArgs& args) {
  const std::string where = shown_directory(directory);
  const bool has_config = std::filesystem::exists(directory / kConfigFileName);
  const bool has_ignore = std::filesystem::exists(directory / kIgnoreFileName);
  const std::string user_config = user_config_path(args);
  const std::string prefix = where == "." ? "" : where + "/";
  std::vector<std::string> used;
  if (has_config && user_config.empty()) used.push_back(prefix + kConfigFileName);
  if (has_ignore) used.push_back(prefix + kIgnoreFileName);
  if (!used.empty()) print_message("using {}", fmt::format("{}", fmt::join(used, " and ")));
  if (has_config && !user_config.empty())
    print_message("not using {}{}: the user's config {} replaces it", prefix, kConfigFileName, user_config);
}

// The repository files' globs are relative to the directory holding them;
// the others (flags, the user's config) to each scanned argument.
WalkOptions walk_options(const Settings& settings, const std::optional<std::filesystem::path>& files_at,
                         bool follow_symlinks) {
  WalkOptions options;
  options.follow_symlinks = follow_symlinks;
  if (!files_at) {
    options.exclude = settings.exclude;
    return options;
  }
  std::vector<std::string> own, rooted;
  for (const auto& pattern : settings.exclude_patterns)
    (pattern.origin == Origin::repository_config ? rooted : own).push_back(pattern.value);
  options.exclude = GlobSet(own);
  options.rooted_exclude = GlobSet(rooted);
  options.rooted_at = *files_at;
  return options;
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
    const std::optional<std::filesystem::path> files_at = find_config_directory(lookup_start(state->paths));
    const auto settings =
        files_at ? load_settings_from_directory(state->common, *files_at) : load_settings(state->common, ConfigFiles{});
    if (!settings) {
      exit_code = kExitUsage;
      return;
    }
    if (files_at && !settings->quiet) say_which_files(*files_at, state->common);
    const WalkOptions options = walk_options(*settings, files_at, state->follow_symlinks);
    exit_code = run_scan(*settings, [&](const Scanner& scanner, ScanSink& sink) {
      scan_paths(state->paths, options, scanner, sink);
    });
  });
}

}  // namespace sentryscan::cli
