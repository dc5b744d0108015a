// The one settings object of a run, resolved once from the command line, the
// environment, a config file the user names and the scanned repository's own
// files (.sentryscan.toml, .sentryscanignore). Every component is built from
// it; nothing downstream reads a flag, a file or the environment again.
//
//   SettingsInput input{args, Environment::from_process()};
//   input.repository_config = ConfigText{".sentryscan.toml", text};  // app/ finds the files
//   Settings settings = resolve_settings(input);  // InputError -> exit 2
//
// settings/ only resolves bytes it is given: finding the files (working
// tree, BASE's tree in a range) belongs to app/. Each value that a file may
// set records where it came from (Origin), which is what the trust model of
// the README's "What a scanned repository can and cannot control" needs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/glob.h"
#include "core/severity.h"
#include "settings/config_file.h"
#include "settings/ignore_file.h"
#include "settings/low_args.h"
#include "settings/report_format.h"
#include "settings/scan_limits.h"
#include "settings/validation.h"

namespace sentryscan {

// Where a value came from, most trusted first.
enum class Origin { flag, environment, user_config, repository_config, built_in };
std::string_view origin_name(Origin origin);

template <typename T>
struct Setting {
  T value{};
  Origin origin = Origin::built_in;
};

// The environment variables sentryscan reads, read once.
struct Environment {
  std::optional<std::string> saas_url;  // SENTRYSCAN_SAAS_URL, a testing aid (README)
  bool no_color = false;                // NO_COLOR set and not empty (no-color.org)
  std::optional<std::string> config;    // SENTRYSCAN_CONFIG: the user's config file, like --config
  static Environment from_process();
};

// A config or ignore file's bytes and a name for messages ("path/.sentryscan.toml").
struct ConfigText {
  std::string origin;
  std::string text;
  std::filesystem::path directory;  // where relative paths in it point; empty: none
};

struct SettingsInput {
  LowArgs args;
  Environment env;
  std::optional<ConfigText> user_config;        // --config FILE
  std::optional<ConfigText> repository_config;  // .sentryscan.toml of the scanned repository
  std::optional<ConfigText> ignore_file;        // .sentryscanignore of the scanned repository
};

// --color: automatic colours the text report only when it goes to a terminal.
enum class ColorMode { automatic, always, never };

struct Settings {
  // Reporting.
  ReportFormat format = ReportFormat::text;
  std::string output;  // empty: standard output ("-" on the command line)
  GroupBy group_by = GroupBy::automatic;  // --group-by
  bool show_secrets = false;
  ColorMode color = ColorMode::automatic;  // the app checks "automatic" against isatty
  bool author_email = false;  // commit authors' e-mail in sarif, gitlab and html reports
  bool quiet = false;
  std::string progress = "auto";
  Setting<Severity> fail_on{Severity::medium};

  // Suppression.
  std::string baseline;        // --baseline FILE
  // Its bytes when they must come from elsewhere than the file on disk: in a
  // range that changes a baseline inside the repository, BASE's version.
  std::optional<ConfigText> baseline_text;
  // In a range, every `sentryscan:allow` is one the range itself added (only
  // added lines are scanned): each suppression it makes is named as a note
  // for reviewers.
  bool name_inline_allows = false;
  std::string write_baseline;  // --write-baseline FILE
  IgnoreFile ignore;           // .sentryscanignore
  GlobSet ignored_paths;       // its `path:` globs, compiled

  // Scanning.
  std::vector<std::filesystem::path> rules_files;
  ScanLimits limits;
  Origin max_file_size_origin = Origin::built_in;
  std::vector<Setting<std::string>> exclude_patterns;  // flags, then config, then ignore-file `path:`
  GlobSet exclude;                                     // all of them, compiled once

  // Validation (SPEC 3); resolved only with --validate (or --format html,
  // whose revoke links may point at the allowed bases), so any other run
  // never even parses a URL.
  bool validate = false;
  bool only_live = false;
  validate::ValidationSettings validation;

  // What resolution decided that the user must hear (a repository file
  // setting a key only the user may set); printed as warnings.
  std::vector<std::string> warnings;
};

// Throws InputError naming the flag, file and line of the first bad value.
Settings resolve_settings(const SettingsInput& input);

}  // namespace sentryscan
