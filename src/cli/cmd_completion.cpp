// `sentryscan completion bash|zsh|fish` prints a completion script, and the
// hidden `sentryscan man-page` prints the man page; the build runs both to
// make what `cmake --install` and the packages ship (CMakeLists.txt).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/shell_completion.h"

namespace sentryscan::cli {

void register_completion_command(CLI::App& app, int& exit_code) {
  auto shell = std::make_shared<std::string>();
  CLI::App* completion = app.add_subcommand("completion", "Print the shell completion script for bash, zsh or fish");
  completion->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completion->footer(
      "bash: source <(sentryscan completion bash)   zsh: source <(sentryscan completion zsh)   "
      "fish: sentryscan completion fish | source");
  completion->callback([&app, shell, &exit_code] {
    fmt::print("{}", completion_script(app, *shell));
    exit_code = 0;
  });
  CLI::App* man = app.add_subcommand("man-page", "Print the man page (roff)");
  man->group("");  // hidden: for the build, not for users
  man->callback([&app, &exit_code] {
    fmt::print("{}", man_page(app));
    exit_code = 0;
  });
}

}  // namespace sentryscan::cli
