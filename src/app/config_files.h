// Finding the files a run's settings are resolved from: the user's --config,
// and the scanned repository's .sentryscan.toml and .sentryscanignore.
// settings/ resolves the bytes; where they are read from is decided here.
#pragma once

#include <filesystem>
#include <optional>

#include "settings/settings.h"

namespace sentryscan {

// Where the repository's own files are looked up.
struct ConfigPlace {
  std::filesystem::path directory;  // .sentryscan.toml / .sentryscanignore in this directory
};

// Resolves the settings of a run, printing any error as "sentryscan: error: ..."
// and returning nullopt (exit 2) when they are wrong.
// Without a place (`sentryscan validate`), no repository file is read.
std::optional<Settings> load_settings(const LowArgs& args, const std::optional<ConfigPlace>& place);

}  // namespace sentryscan
