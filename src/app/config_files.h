// Where a run's settings come from: the user's --config, and the scanned
// repository's .sentryscan.toml and .sentryscanignore, read from the place
// the trust model names (README, "What a scanned repository can and cannot
// control"): the scanned directory for `scan`, the working tree for a `git`
// audit, BASE's commit for `git --range` (never the range being judged),
// the index for `staged`. settings/ resolves the bytes; app/ picks them.
//
//   ConfigFiles trusted = config_files_in_commit(repo, base, "BASE");
//   std::vector<std::string> notes = describe_change(trusted, config_files_in_commit(repo, head, "HEAD"));
//   std::optional<Settings> settings = load_settings(args, trusted, notes);  // nullopt: exit 2
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "settings/settings.h"
#include "source/git/handle.h"

namespace sentryscan {

struct ConfigFiles {
  std::string where;                   // "the working tree", "BASE (1a2b3c4d5e6f)", for messages
  std::optional<ConfigText> config;    // .sentryscan.toml
  std::optional<ConfigText> ignore;    // .sentryscanignore
};

inline constexpr const char* kConfigFileName = ".sentryscan.toml";
inline constexpr const char* kIgnoreFileName = ".sentryscanignore";

// An unreadable file is an error (InputError, exit 2): a permission problem
// must not turn a gate's config off in silence. Absent files are none.
ConfigFiles config_files_in_directory(const std::filesystem::path& directory);
// From a commit's tree (git::GitError when its objects cannot be read).
ConfigFiles config_files_in_commit(git_repository* repo, const git_oid& commit, const std::string& label);
// From the repository's index: what the next commit records.
ConfigFiles config_files_in_index(git_repository* repo);

// What `proposed` would change if it applied instead of `applied`, one
// sentence per file ("the range changes .sentryscanignore: adds path:**"),
// for every format's notes. Empty when both say the same.
std::vector<std::string> describe_change(const ConfigFiles& applied, const ConfigFiles& proposed,
                                         const std::string& who);

// Resolves the settings of a run from the flags, the user's --config and the
// repository files given (none for `sentryscan validate`); `notes` become
// warnings of the run. Prints any error as "sentryscan: error: ..." and
// returns nullopt (exit 2) when something is wrong.
std::optional<Settings> load_settings(const LowArgs& args, const std::optional<ConfigFiles>& files,
                                      const std::vector<std::string>& notes = {});
// The same, reading the repository files in `directory` (scan, git audit).
std::optional<Settings> load_settings_from_directory(const LowArgs& args, const std::filesystem::path& directory);

// The user's config file: --config, else $SENTRYSCAN_CONFIG; empty: none.
// Either replaces the repository's .sentryscan.toml and may set every key.
std::string user_config_path(const LowArgs& args);

// `scan`: the nearest directory holding .sentryscan.toml or .sentryscanignore
// (both are then read from it), from `start` up to the top of its git working
// tree (the directory holding .git) or, outside one, up to the current
// directory; never above either. nullopt when none holds them.
std::optional<std::filesystem::path> find_config_directory(const std::filesystem::path& start);

// `git --range`: which side of the range the repository files come from.
enum class ConfigFrom {
  base,      // BASE's commit (the default): the range cannot change the rules it is judged by
  head,      // HEAD's commit: for a trusted workflow that wants the branch's own settings
  worktree,  // the checked-out files, as before 0.2
};

// Settings for `git --range`. From BASE, every change the range makes to the
// files is named in a note, and a baseline inside the repository that the
// range adds or changes is read from BASE too. Every `sentryscan:allow` the
// range adds is named (Settings::name_inline_allows). `base` is empty for a
// new branch: then no repository file applies (said in a note if HEAD has one).
std::optional<Settings> load_range_settings(const LowArgs& args, git_repository* repo,
                                            const std::optional<git_oid>& base, const git_oid& head, ConfigFrom from);

// Settings for `staged`: the repository files as the index has them (what
// the commit records), the same files CI will judge the next push by once
// they are committed. A working-tree version that is not staged does not
// apply, and a note says so.
std::optional<Settings> load_staged_settings(const LowArgs& args, git_repository* repo);

}  // namespace sentryscan
