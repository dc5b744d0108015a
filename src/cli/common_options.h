// Options shared by every scanning subcommand, and the one pipeline they all
// run: config -> rules -> source -> suppression -> validation -> report -> exit status.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/validate_flags.h"
#include "engine/scan_context.h"

namespace CLI {
class App;
}

namespace sentryscan::cli {

struct CommonOptions {
  std::string format = "text";
  std::string output;
  std::string fail_on;  // empty: config or "medium"
  bool show_secrets = false;
  std::string baseline;
  std::string write_baseline;
  std::string config;
  unsigned threads = 0;  // 0: all cores
  std::string max_file_size;
  std::vector<std::string> exclude;
  std::vector<std::string> rules_files;
  bool quiet = false;
  bool no_color = false;
  std::string progress = "auto";
  unsigned max_decode_depth = 2;   // docs/decoding.md
  unsigned max_archive_depth = 3;
  std::string max_archive_size;    // empty: 256 MiB
  ValidateFlags validate;  // --validate and friends (cli/validate_flags.h)
};

void add_common_options(CLI::App& command, CommonOptions& options);

// What a source needs from the run besides the ScanContext.
struct SourceEnv {
  std::filesystem::path root;            // where .sentryscan.toml / .sentryscanignore were looked up
  std::vector<std::string> exclude;      // --exclude, config `exclude`, ignore-file `path:` globs
};

using SourceFn = std::function<void(ScanContext& context, const SourceEnv& env)>;

// Runs the whole pipeline; returns the process exit status. Configuration
// errors print "sentryscan: FILE:LINE: message" and return 2 before scanning.
int run_scan_pipeline(const CommonOptions& options, const std::filesystem::path& root, const SourceFn& source);

}  // namespace sentryscan::cli
