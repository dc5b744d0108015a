#include "support/browser.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "support/run_cli.h"

namespace sentryscan::testing {
namespace {

std::optional<std::string> in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return std::nullopt;
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> find_chromium() {
  if (const char* named = std::getenv("SENTRYSCAN_CHROMIUM"); named && *named) return std::string(named);
  if (auto found = in_path("chromium")) return found;
  return in_path("chromium-browser");
}

nlohmann::json probe_page(const std::string& chromium, const std::filesystem::path& page, const nlohmann::json& steps) {
  const std::string script = std::string(SENTRYSCAN_SOURCE_DIR) + "/tests/support/browser_probe.py";
  const std::string python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
  CliOptions options;
  options.timeout_seconds = 120;  // a cold Chromium start on a loaded CI machine
  const CliResult run = run_program({python, script, chromium, page.string(), steps.dump()}, options);
  if (run.exit_code != 0) throw std::runtime_error("browser_probe.py failed: " + run.err);
  return nlohmann::json::parse(run.out);
}

}  // namespace sentryscan::testing
