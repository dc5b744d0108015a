// Shell completion scripts and the man page, both generated from the CLI11
// app itself so they can never miss a subcommand or flag the help lists:
//   fmt::print("{}", completion_script(root_app, "bash"));
//   fmt::print("{}", man_page(root_app));
// Hidden subcommands (empty group) are left out of both, as from --help.
#pragma once

#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace sentryscan::cli {

// The completion script for `shell` ("bash", "zsh" or "fish"); empty for another shell.
std::string completion_script(const CLI::App& root, std::string_view shell);

// A roff man page (section 1) made from the descriptions, usages and options of `root`.
std::string man_page(const CLI::App& root);

}  // namespace sentryscan::cli
