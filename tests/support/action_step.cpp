#include "support/action_step.h"

#include <fstream>
#include <sstream>

namespace sentryscan::testing {
namespace {

std::map<std::string, std::string> read_assignments(const std::filesystem::path& file) {
  std::map<std::string, std::string> values;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    const auto equals = line.find('=');
    if (equals != std::string::npos) values[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return values;
}

}  // namespace

std::string action_step_script(const std::string& name) {
  std::ifstream in(std::filesystem::path(SENTRYSCAN_SOURCE_DIR) / "action.yml");
  std::string line;
  bool in_step = false;
  while (std::getline(in, line)) {
    if (line.rfind("    - name: ", 0) == 0) in_step = line.substr(12) == name;
    if (in_step && line == "      run: |") break;
  }
  if (!in_step || !in) return {};
  // The block: every following line indented by 8 or more, or blank.
  std::string script;
  while (std::getline(in, line)) {
    if (!line.empty() && line.rfind("        ", 0) != 0) break;
    script += (line.size() > 8 ? line.substr(8) : std::string()) + "\n";
  }
  return script;
}

CliResult ActionRunner::run(const std::string& step, std::map<std::string, std::string> env,
                            const std::filesystem::path& cwd) {
  const std::string script = action_step_script(step);
  if (script.empty()) return {2, "", "action.yml has no step named '" + step + "' with a run block"};
  const auto env_path = temp_.path() / "github_env";
  for (const auto& [key, value] : read_assignments(env_path)) env.try_emplace(key, value);
  env["GITHUB_ENV"] = env_path.string();
  env["GITHUB_OUTPUT"] = (temp_.path() / "github_output").string();
  env["RUNNER_TEMP"] = temp_.path().string();
  env["GITHUB_ACTION_PATH"] = SENTRYSCAN_SOURCE_DIR;
  CliOptions options;
  options.env = env;
  options.cwd = cwd.empty() ? temp_.path() : cwd;
  options.timeout_seconds = 120;
  return run_program({"bash", "-c", script}, options);
}

std::map<std::string, std::string> ActionRunner::env_file() const {
  return read_assignments(temp_.path() / "github_env");
}

std::map<std::string, std::string> ActionRunner::outputs() const {
  return read_assignments(temp_.path() / "github_output");
}

}  // namespace sentryscan::testing
