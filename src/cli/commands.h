// Each subcommand lives in its own file and registers itself on the app.
// When it runs it stores its exit status (SPEC 2, Exit status) in `exit_code`.
#pragma once

namespace CLI {
class App;
}

namespace sentryscan::cli {

void register_scan_command(CLI::App& app, int& exit_code);
void register_rules_command(CLI::App& app, int& exit_code);
void register_git_command(CLI::App& app, int& exit_code);           // cmd_git.cpp
void register_staged_command(CLI::App& app, int& exit_code);        // cmd_staged.cpp
void register_install_hook_command(CLI::App& app, int& exit_code);  // cmd_install_hook.cpp
void register_validate_command(CLI::App& app, int& exit_code);      // cmd_validate.cpp
void register_completion_command(CLI::App& app, int& exit_code);    // cmd_completion.cpp
void register_merge_command(CLI::App& app, int& exit_code);         // cmd_merge.cpp

}  // namespace sentryscan::cli
