// Runs one step of the composite GitHub Action (action.yml at the repository
// root) the way the runner does: its `run:` block, unchanged, under bash, with
// the step's inputs passed as the environment the step's `env:` would set, and
// the runner's files (GITHUB_ENV, GITHUB_OUTPUT, RUNNER_TEMP) in a directory of
// the test's.
//   ActionRunner runner;
//   CliResult r = runner.run("Scan", {{"INPUT_PATH", repo}, ...});
//   runner.outputs()["exit-code"]
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {

// The `run: |` block of the step named `name` in action.yml, dedented; empty
// when the action has no such step.
std::string action_step_script(const std::string& name);

class ActionRunner {
 public:
  // Runs the step in `cwd` (the workspace; empty: RUNNER_TEMP). Variables the
  // step wrote to GITHUB_ENV before are in its environment, as on a runner.
  CliResult run(const std::string& step, std::map<std::string, std::string> env,
                const std::filesystem::path& cwd = {});
  // name=value lines the steps appended to GITHUB_ENV / GITHUB_OUTPUT.
  std::map<std::string, std::string> env_file() const;
  std::map<std::string, std::string> outputs() const;
  const std::filesystem::path& runner_temp() const { return temp_.path(); }

 private:
  TempDir temp_;
};

}  // namespace sentryscan::testing
