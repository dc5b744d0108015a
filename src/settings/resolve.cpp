// resolve_settings: flags > environment > user config > repository config > built-in.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "core/input_error.h"
#include "core/user_file.h"
#include "settings/settings.h"

namespace sentryscan {
namespace {

struct ParsedConfig {
  Config config;
  Origin origin = Origin::built_in;
};

std::optional<ParsedConfig> parse(const std::optional<ConfigText>& text, Origin origin) {
  if (!text) return std::nullopt;
  ParsedConfig parsed{parse_config(strip_bom(text->text), text->origin), origin};
  make_paths_relative_to(parsed.config, text->directory);
  return parsed;
}

// SPEC 2, Config file: settings that send tokens somewhere or trust a
// certificate, and paths outside the repository, come only from the user.
// A repository file that sets them is not an error (a team may have
// committed them before this rule), but they are dropped and said.
void drop_user_only_keys(ParsedConfig& parsed, const std::string& origin, std::vector<std::string>& warnings) {
  auto& v = parsed.config.validate;
  auto drop = [&](bool present, std::string_view key, std::string_view flag) {
    if (!present) return;
    warnings.push_back(fmt::format("{}: ignoring validate.{}: only the user may set it (use {} or a --config file "
                                   "outside the repository)",
                                   origin, key, flag));
  };
  drop(!v.sentry_urls.empty(), "sentry_urls", "--sentry-url");
  drop(v.ca_cert.has_value(), "ca_cert", "--ca-cert");
  drop(v.cache_file.has_value(), "cache_file", "--validation-cache");
  v.sentry_urls.clear();
  v.ca_cert.reset();
  v.cache_file.reset();
}

void resolve_limits(const SettingsInput& input, const Config& config, Origin config_origin, Settings& settings) {
  const LowArgs& args = input.args;
  ScanLimits& limits = settings.limits;
  limits.threads = args.threads ? args.threads : std::max(1u, std::thread::hardware_concurrency());
  if (args.max_file_size) {
    limits.max_file_size = *args.max_file_size;
    settings.max_file_size_origin = Origin::flag;
  } else if (config.max_file_size) {
    limits.max_file_size = *config.max_file_size;
    settings.max_file_size_origin = config_origin;
  }
  limits.max_decode_depth = args.max_decode_depth;
  limits.max_archive_depth = args.max_archive_depth;
  if (args.max_archive_size) limits.max_archive_size = *args.max_archive_size;
}

void resolve_excludes(const LowArgs& args, const Config& config, Origin config_origin, Settings& settings) {
  for (const auto& glob : args.exclude) settings.exclude_patterns.push_back({glob, Origin::flag});
  for (const auto& glob : config.exclude) settings.exclude_patterns.push_back({glob, config_origin});
  for (const auto& glob : settings.ignore.path_globs)
    settings.exclude_patterns.push_back({glob, Origin::repository_config});
  std::vector<std::string> patterns;
  for (const auto& pattern : settings.exclude_patterns) patterns.push_back(pattern.value);
  settings.exclude = GlobSet(patterns);
  settings.ignored_paths = GlobSet(settings.ignore.path_globs);
}

// The flag wins over NO_COLOR (no-color.org: "per-instance command-line
// arguments should override"); --no-color is --color never.
ColorMode resolve_color(const LowArgs& args, const Environment& env) {
  if (args.color == "always") return ColorMode::always;
  if (args.color == "never" || args.no_color) return ColorMode::never;
  return env.no_color ? ColorMode::never : ColorMode::automatic;
}

}  // namespace

std::string_view origin_name(Origin origin) {
  switch (origin) {
    case Origin::flag: return "command line";
    case Origin::environment: return "environment";
    case Origin::user_config: return "user config";
    case Origin::repository_config: return "repository config";
    case Origin::built_in: return "built-in default";
  }
  return "built-in default";
}

Environment Environment::from_process() {
  Environment env;
  if (const char* saas = std::getenv("SENTRYSCAN_SAAS_URL"); saas && *saas) env.saas_url = saas;
  // no-color.org: NO_COLOR counts when "present and not an empty string".
  const char* no_color = std::getenv("NO_COLOR");
  env.no_color = no_color && *no_color;
  if (const char* config = std::getenv("SENTRYSCAN_CONFIG"); config && *config) env.config = config;
  return env;
}

Settings resolve_settings(const SettingsInput& input) {
  const LowArgs& args = input.args;
  Settings settings;
  const auto format = parse_report_format(args.format);
  if (!format) throw InputError("--format", 0, fmt::format("unknown format '{}'", args.format));
  settings.format = *format;
  const auto group_by = parse_group_by(args.group_by);
  if (!group_by) throw InputError("--group-by", 0, fmt::format("unknown grouping '{}' (location or secret)", args.group_by));
  // Code-scanning UIs, merge requests and workflow annotations point at one
  // line of one file: their formats stay one result per location. The html
  // page always shows both views (secrets, then their locations).
  if (*group_by == GroupBy::secret && *format != ReportFormat::text && *format != ReportFormat::json &&
      *format != ReportFormat::jsonl && *format != ReportFormat::html)
    throw InputError("--group-by", 0,
                     fmt::format("--format {} is one result per location; --group-by secret needs text, json, jsonl "
                                 "or html",
                                 args.format));
  settings.group_by = *group_by;
  settings.output = args.output == "-" ? std::string() : args.output;
  settings.show_secrets = args.show_secrets;
  settings.quiet = args.quiet;
  settings.progress = args.quiet ? "never" : args.progress;
  settings.color = resolve_color(args, input.env);
  settings.author_email = args.author_email;
  settings.baseline = args.baseline;
  settings.write_baseline = args.write_baseline;
  settings.rules_files.assign(args.rules_files.begin(), args.rules_files.end());

  // One config file applies: the user's when named, else the repository's.
  std::optional<ParsedConfig> parsed = parse(input.user_config, Origin::user_config);
  if (!parsed) {
    parsed = parse(input.repository_config, Origin::repository_config);
    if (parsed) drop_user_only_keys(*parsed, input.repository_config->origin, settings.warnings);
  }
  const Config config = parsed ? parsed->config : Config{};
  const Origin config_origin = parsed ? parsed->origin : Origin::built_in;

  if (args.fail_on) settings.fail_on = {*args.fail_on, Origin::flag};
  else if (config.fail_on) settings.fail_on = {*config.fail_on, config_origin};
  if (input.ignore_file) settings.ignore = parse_ignore_file(strip_bom(input.ignore_file->text), input.ignore_file->origin);
  resolve_limits(input, config, config_origin, settings);
  resolve_excludes(args, config, config_origin, settings);

  settings.validate = args.validate.enabled;
  settings.only_live = args.validate.only_live;
  if (settings.validate || settings.format == ReportFormat::html) {
    validate::ValidationOptions options = args.validate;
    if (input.env.saas_url) options.saas_url = input.env.saas_url;
    settings.validation = validate::resolve_settings(options, config.validate);
  }
  return settings;
}

}  // namespace sentryscan
