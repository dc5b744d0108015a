// `sentryscan install-hook [REPO]`: installs hooks/pre-commit into a repository.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "core/diagnostics.h"
#include "source/git/handle.h"
#include "cli/hook_script.h"

namespace sentryscan::cli {
namespace {

// core.hooksPath when set (relative to the top of the working tree, as git
// reads it), otherwise the repository's own hooks directory.
std::filesystem::path hooks_directory(git_repository* repo) {
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) == 0) {
    git::Config config(raw);
    const char* value = nullptr;
    if (git_config_get_string(&value, config.get(), "core.hooksPath") == 0 && value && *value) {
      std::filesystem::path path = value;
      if (path.string().starts_with("~/")) {
        if (const char* home = std::getenv("HOME")) path = std::filesystem::path(home) / path.string().substr(2);
      }
      if (path.is_relative()) path = git::config_root(repo) / path;
      return path;
    }
  }
  git_buf buf = GIT_BUF_INIT;
  git::check(git_repository_item_path(&buf, repo, GIT_REPOSITORY_ITEM_HOOKS), "locating the hooks directory");
  std::filesystem::path path = buf.ptr;
  git_buf_dispose(&buf);
  return path;
}

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int install(const std::string& repo_path, bool force) {
  git::Session session;
  git::Repository repo = git::open_repository(repo_path);
  const std::filesystem::path dir = hooks_directory(repo.get());
  const std::filesystem::path hook = dir / "pre-commit";
  std::error_code ec;
  const bool exists = std::filesystem::exists(std::filesystem::symlink_status(hook, ec));
  if (exists && read_whole(hook).find(git::hook_marker()) == std::string::npos) {
    if (!force) {
      print_error(
          "{} already exists and was not installed by sentryscan; not replacing it.\n"
          "  Add `sentryscan staged` to it yourself, or run `sentryscan install-hook --force` to replace it\n"
          "  (the old hook is kept as pre-commit.before-sentryscan).",
          hook.string());
      return 1;
    }
    const auto backup = dir / "pre-commit.before-sentryscan";
    std::filesystem::rename(hook, backup, ec);
    if (ec) {
      print_error("cannot move {} aside: {}", hook.string(), ec.message());
      return 1;
    }
    print_message("the previous hook was saved as {}", backup.string());
  }
  std::filesystem::create_directories(dir, ec);
  // Write then rename, so a failed write never leaves half a hook behind.
  const auto temporary = dir / "pre-commit.sentryscan-tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    const std::string_view script = git::pre_commit_hook_script();
    out.write(script.data(), static_cast<std::streamsize>(script.size()));
    if (!out) {
      print_error("cannot write {}", temporary.string());
      return 1;
    }
  }
  using std::filesystem::perms;
  std::filesystem::permissions(temporary,
                               perms::owner_all | perms::group_read | perms::group_exec | perms::others_read |
                                   perms::others_exec,
                               ec);
  std::filesystem::rename(temporary, hook, ec);
  if (ec) {
    print_error("cannot install {}: {}", hook.string(), ec.message());
    return 1;
  }
  fmt::print("sentryscan: installed the pre-commit hook at {}\n", escape_control(hook.string()));
  return 0;
}

}  // namespace

void register_install_hook_command(CLI::App& app, int& exit_code) {
  struct State {
    std::string repo;
    bool force = false;
  };
  auto state = std::make_shared<State>();
  CLI::App* command =
      app.add_subcommand("install-hook", "Install the sentryscan pre-commit hook into a repository");
  command->add_option("repo", state->repo, "Repository (default: the current one)");
  command->add_flag("--force", state->force,
                    "Replace an existing pre-commit hook that sentryscan did not install (it is kept as "
                    "pre-commit.before-sentryscan)");
  command->callback([state, &exit_code] {
    try {
      exit_code = install(state->repo, state->force);
    } catch (const std::exception& e) {
      print_error("{}", e.what());
      exit_code = 2;
    }
  });
}

}  // namespace sentryscan::cli
