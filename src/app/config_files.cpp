#include "app/config_files.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "core/diagnostics.h"
#include "core/input_error.h"
#include "core/user_file.h"
#include "source/git/tree_file.h"

namespace sentryscan {
namespace {

std::optional<ConfigText> read_if_present(const std::filesystem::path& path, std::string_view what) {
  UserFile file = read_user_file(path);
  if (file.missing()) return std::nullopt;
  if (!file.ok()) throw InputError(path.string(), 0, fmt::format("cannot read {}: {}", what, file.error_text()));
  return ConfigText{path.string(), std::move(file.text), path.parent_path()};
}

std::optional<ConfigText> from_tree(std::optional<git::TreeFile> file, const std::string& label, const char* name) {
  if (!file) return std::nullopt;
  // No directory: a path in a committed file is not resolved against this
  // machine (repository files may not set paths anyway, settings/resolve.cpp).
  return ConfigText{fmt::format("{}:{}", label, name), std::move(file->text), {}};
}

// Glob and key text is repository text: shown shortened, never whole.
std::string shown(const std::string& text) { return text.size() <= 60 ? text : text.substr(0, 57) + "..."; }

template <typename Set>
void describe_sets(const Set& before, const Set& after, std::string_view noun, bool list,
                   std::vector<std::string>& parts) {
  std::vector<std::string> added, removed;
  for (const auto& item : after)
    if (!before.contains(item)) added.push_back(list ? shown(item) : item);
  for (const auto& item : before)
    if (!after.contains(item)) removed.push_back(list ? shown(item) : item);
  std::sort(added.begin(), added.end());
  std::sort(removed.begin(), removed.end());
  if (!added.empty())
    parts.push_back(list ? fmt::format("adds {} {}", noun, fmt::join(added, ", "))
                         : fmt::format("adds {} {}", added.size(), noun));
  if (!removed.empty())
    parts.push_back(list ? fmt::format("removes {} {}", noun, fmt::join(removed, ", "))
                         : fmt::format("removes {} {}", removed.size(), noun));
}

std::string describe_parts(const std::vector<std::string>& parts) {
  return parts.empty() ? "changes it without changing what it says" : fmt::format("{}", fmt::join(parts, "; "));
}

std::string describe_ignore_change(const ConfigText* before, const ConfigText* after) {
  IgnoreFile old_ignore, new_ignore;
  try {
    if (before) old_ignore = parse_ignore_file(before->text, before->origin);
    if (after) new_ignore = parse_ignore_file(after->text, after->origin);
  } catch (const InputError& e) {
    return fmt::format("makes it invalid ({})", e.what());
  }
  std::vector<std::string> parts;
  const std::set<std::string> old_globs(old_ignore.path_globs.begin(), old_ignore.path_globs.end());
  const std::set<std::string> new_globs(new_ignore.path_globs.begin(), new_ignore.path_globs.end());
  describe_sets(old_globs, new_globs, "path:", true, parts);
  describe_sets(old_ignore.fingerprints, new_ignore.fingerprints, "fingerprint(s)", false, parts);
  return describe_parts(parts);
}

std::string describe_config_change(const ConfigText* before, const ConfigText* after) {
  Config old_config, new_config;
  try {
    if (before) old_config = parse_config(strip_bom(before->text), before->origin);
    if (after) new_config = parse_config(strip_bom(after->text), after->origin);
  } catch (const InputError& e) {
    return fmt::format("makes it invalid ({})", e.what());
  }
  std::vector<std::string> parts;
  auto severity = [](const std::optional<Severity>& s) { return s ? std::string(to_string(*s)) : "unset"; };
  if (old_config.fail_on != new_config.fail_on)
    parts.push_back(fmt::format("fail_on {} -> {}", severity(old_config.fail_on), severity(new_config.fail_on)));
  auto size = [](const std::optional<std::uint64_t>& s) { return s ? std::to_string(*s) : "unset"; };
  if (old_config.max_file_size != new_config.max_file_size)
    parts.push_back(fmt::format("max_file_size {} -> {}", size(old_config.max_file_size), size(new_config.max_file_size)));
  const std::set<std::string> old_exclude(old_config.exclude.begin(), old_config.exclude.end());
  const std::set<std::string> new_exclude(new_config.exclude.begin(), new_config.exclude.end());
  describe_sets(old_exclude, new_exclude, "exclude", true, parts);
  const auto& a = old_config.validate;
  const auto& b = new_config.validate;
  if (a.timeout_seconds != b.timeout_seconds || a.concurrency != b.concurrency || a.max_requests != b.max_requests ||
      a.cache_ttl_hours != b.cache_ttl_hours || a.sentry_urls != b.sentry_urls || a.ca_cert != b.ca_cert ||
      a.cache_file != b.cache_file)
    parts.push_back("[validate] settings");
  return describe_parts(parts);
}

void describe_file(const std::optional<ConfigText>& before, const std::optional<ConfigText>& after,
                   const char* name, const std::string& who, const std::string& applied_where,
                   std::string (*describe)(const ConfigText*, const ConfigText*), std::vector<std::string>& out) {
  if (!before && !after) return;
  if (before && after && before->text == after->text) return;
  const char* verb = !before ? "adds" : !after ? "deletes" : "changes";
  out.push_back(fmt::format("{} {} {}: {}; not applied to this scan, which uses the version in {}", who, verb, name,
                            describe(before ? &*before : nullptr, after ? &*after : nullptr), applied_where));
}

}  // namespace

ConfigFiles config_files_in_directory(const std::filesystem::path& directory) {
  ConfigFiles files;
  files.where = directory.string();
  files.config = read_if_present(directory / kConfigFileName, "config file");
  files.ignore = read_if_present(directory / kIgnoreFileName, "ignore file");
  return files;
}

ConfigFiles config_files_in_commit(git_repository* repo, const git_oid& commit, const std::string& label) {
  ConfigFiles files;
  files.where = fmt::format("{} ({})", label, git::to_hex(commit).substr(0, 12));
  files.config = from_tree(git::read_commit_file(repo, commit, kConfigFileName), label, kConfigFileName);
  files.ignore = from_tree(git::read_commit_file(repo, commit, kIgnoreFileName), label, kIgnoreFileName);
  return files;
}

ConfigFiles config_files_in_index(git_repository* repo) {
  ConfigFiles files;
  files.where = "the index";
  files.config = from_tree(git::read_index_file(repo, kConfigFileName), "index", kConfigFileName);
  files.ignore = from_tree(git::read_index_file(repo, kIgnoreFileName), "index", kIgnoreFileName);
  return files;
}

std::vector<std::string> describe_change(const ConfigFiles& applied, const ConfigFiles& proposed,
                                         const std::string& who) {
  std::vector<std::string> notes;
  describe_file(applied.config, proposed.config, kConfigFileName, who, applied.where, describe_config_change, notes);
  describe_file(applied.ignore, proposed.ignore, kIgnoreFileName, who, applied.where, describe_ignore_change, notes);
  return notes;
}

std::optional<Settings> load_settings(const LowArgs& args, const std::optional<ConfigFiles>& files,
                                      const std::vector<std::string>& notes) {
  try {
    SettingsInput input;
    input.args = args;
    input.env = Environment::from_process();
    const std::string user_config = user_config_path(args);
    if (!user_config.empty()) {
      input.user_config = read_if_present(user_config, "config file");
      if (!input.user_config) {
        const std::string named_by = args.config.empty() ? " (named by SENTRYSCAN_CONFIG)" : "";
        throw InputError(user_config, 0,
                         fmt::format("cannot read config file{}: No such file or directory", named_by));
      }
    } else if (files) {
      input.repository_config = files->config;
    }
    if (files) input.ignore_file = files->ignore;
    Settings settings = resolve_settings(input);
    settings.warnings.insert(settings.warnings.end(), notes.begin(), notes.end());
    return settings;
  } catch (const InputError& e) {
    print_error("{}", e.what());
    return std::nullopt;
  }
}

std::optional<Settings> load_settings_from_directory(const LowArgs& args, const std::filesystem::path& directory) {
  try {
    return load_settings(args, config_files_in_directory(directory));
  } catch (const InputError& e) {
    print_error("{}", e.what());
    return std::nullopt;
  }
}

std::string user_config_path(const LowArgs& args) {
  if (!args.config.empty()) return args.config;
  return Environment::from_process().config.value_or("");
}

namespace {

bool holds(const std::filesystem::path& directory, const char* name) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::symlink_status(directory / name, ec));
}

// The top of the git working tree around `directory` (where `.git` is, a
// directory or a linked worktree's file), if any.
std::optional<std::filesystem::path> working_tree_top(std::filesystem::path directory) {
  for (;;) {
    if (holds(directory, ".git")) return directory;
    if (!directory.has_relative_path()) return std::nullopt;
    directory = directory.parent_path();
  }
}

bool is_within(const std::filesystem::path& path, const std::filesystem::path& directory) {
  const auto relative = path.lexically_relative(directory);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

std::optional<std::filesystem::path> find_config_directory(const std::filesystem::path& start) {
  std::error_code ec;
  std::filesystem::path directory = std::filesystem::weakly_canonical(std::filesystem::absolute(start, ec), ec);
  if (ec) return std::nullopt;
  // Where the walk stops: a repository's files govern its own tree, and the
  // current directory is as far as the user asked for outside one.
  std::optional<std::filesystem::path> stop = working_tree_top(directory);
  if (!stop) {
    const auto cwd = std::filesystem::weakly_canonical(std::filesystem::current_path(ec), ec);
    stop = !ec && is_within(directory, cwd) ? cwd : directory;
  }
  for (;;) {
    if (holds(directory, kConfigFileName) || holds(directory, kIgnoreFileName)) return directory;
    if (directory == *stop || !directory.has_relative_path()) return std::nullopt;
    directory = directory.parent_path();
  }
}

namespace {

// A baseline file inside the repository that the range adds or changes is
// the range vouching for itself: BASE's version applies (none, if BASE has
// none). A baseline outside the repository, or one the range leaves alone,
// is read from disk as usual.
void pin_baseline(Settings& settings, git_repository* repo, const git_oid& base, const git_oid& head) {
  if (settings.baseline.empty()) return;
  const auto path = git::path_in_worktree(repo, settings.baseline);
  if (!path) return;
  const auto in_base = git::read_commit_file(repo, base, *path);
  const auto in_head = git::read_commit_file(repo, head, *path);
  const bool same = in_base && in_head ? git_oid_equal(&in_base->blob, &in_head->blob) : !in_base && !in_head;
  if (same) return;
  if (in_base) {
    settings.baseline_text = ConfigText{"BASE:" + *path, in_base->text, {}};
    settings.warnings.push_back(fmt::format(
        "this range changes the baseline {}; the version in BASE applies, so findings the change would baseline are "
        "reported", *path));
  } else {
    settings.baseline_text = ConfigText{"(none)", "[]", {}};
    settings.warnings.push_back(fmt::format(
        "this range adds the baseline {}; it does not apply to the range that adds it", *path));
  }
}

// HEAD's files only serve the notes; a HEAD that is not in the repository is
// the range's own problem (exit 3, source/git/range), not a settings error.
std::vector<std::string> describe_head_change(const ConfigFiles& applied, git_repository* repo, const git_oid& head,
                                              const std::string& who) {
  try {
    return describe_change(applied, config_files_in_commit(repo, head, "HEAD"), who);
  } catch (const git::GitError&) {
    return {};
  }
}

}  // namespace

std::optional<Settings> load_range_settings(const LowArgs& args, git_repository* repo,
                                            const std::optional<git_oid>& base, const git_oid& head, ConfigFrom from) {
  try {
    std::optional<Settings> settings;
    if (from == ConfigFrom::worktree) {
      settings = load_settings(args, config_files_in_directory(git::config_root(repo)));
    } else if (from == ConfigFrom::head) {
      settings = load_settings(args, config_files_in_commit(repo, head, "HEAD"),
                               {"repository settings are read from HEAD (--config-from head): the range being judged "
                                "controls its own .sentryscan.toml and .sentryscanignore"});
    } else if (base) {
      const ConfigFiles trusted = config_files_in_commit(repo, *base, "BASE");
      settings = load_settings(args, trusted, describe_head_change(trusted, repo, head, "this range"));
      if (settings) pin_baseline(*settings, repo, *base, head);
    } else {
      const ConfigFiles none{"no BASE commit", std::nullopt, std::nullopt};
      settings = load_settings(args, none, describe_head_change(none, repo, head, "this branch"));
    }
    if (settings) settings->name_inline_allows = true;
    return settings;
  } catch (const std::exception& e) {  // InputError, or git::GitError reading BASE or HEAD
    print_error("{}", e.what());
    return std::nullopt;
  }
}

std::optional<Settings> load_staged_settings(const LowArgs& args, git_repository* repo) {
  try {
    const ConfigFiles staged = config_files_in_index(repo);
    return load_settings(args, staged,
                         describe_change(staged, config_files_in_directory(git::config_root(repo)),
                                         "the working tree (not staged)"));
  } catch (const std::exception& e) {
    print_error("{}", e.what());
    return std::nullopt;
  }
}

}  // namespace sentryscan
