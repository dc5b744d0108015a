#include "app/config_files.h"

#include <fmt/format.h>

#include "core/diagnostics.h"
#include "core/input_error.h"
#include "core/user_file.h"

namespace sentryscan {
namespace {

// An absent file is no file; an unreadable one is an error (exit 2), so a
// permission problem cannot turn a gate's config off in silence.
std::optional<ConfigText> read_if_present(const std::filesystem::path& path, std::string_view what) {
  UserFile file = read_user_file(path);
  if (file.missing()) return std::nullopt;
  if (!file.ok()) throw InputError(path.string(), 0, fmt::format("cannot read {}: {}", what, file.error_text()));
  return ConfigText{path.string(), std::move(file.text), path.parent_path()};
}

}  // namespace

std::optional<Settings> load_settings(const LowArgs& args, const std::optional<ConfigPlace>& place) {
  try {
    SettingsInput input{args, Environment::from_process()};
    if (!args.config.empty()) {
      input.user_config = read_if_present(args.config, "config file");
      if (!input.user_config) throw InputError(args.config, 0, "cannot read config file: No such file or directory");
    } else if (place) {
      input.repository_config = read_if_present(place->directory / ".sentryscan.toml", "config file");
    }
    if (place) input.ignore_file = read_if_present(place->directory / ".sentryscanignore", "ignore file");
    return resolve_settings(input);
  } catch (const InputError& e) {
    print_error("{}", e.what());
    return std::nullopt;
  }
}

}  // namespace sentryscan
