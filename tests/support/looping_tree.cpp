#include "support/looping_tree.h"

#include <filesystem>
#include <fstream>

#include "support/git_cli.h"

namespace sentryscan::testing {

std::string raw_id(const std::string& hex) {
  std::string raw;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return raw;
}

void write_object_as(GitRepo& repo, const std::string& type, const std::string& bytes, const std::string& id) {
  const auto file = repo.path() / ".git" / "object-bytes";
  std::ofstream(file, std::ios::binary) << bytes;
  const std::string real = repo.git({"hash-object", "-t", type, "--literally", "-w", file.string()}).substr(0, 40);
  std::filesystem::create_directories(repo.loose_object_path(id).parent_path());
  std::filesystem::rename(repo.loose_object_path(real), repo.loose_object_path(id));
}

LoopingHistory add_looping_commit(GitRepo& repo) {
  repo.commit_file("README.md", "hello\n", "one");
  const auto leak_file = repo.path() / ".git" / "leak-bytes";
  std::ofstream(leak_file, std::ios::binary) << user_token_line("beside the loop");
  const std::string leak = repo.git({"hash-object", "-w", leak_file.string()}).substr(0, 40);
  const std::string loop(40, '1');
  write_object_as(repo, "tree",
                  "100644 leak.env" + std::string(1, '\0') + raw_id(leak) + "40000 loop" + std::string(1, '\0') +
                      raw_id(loop),
                  loop);
  LoopingHistory history{repo.rev("HEAD"), "", leak};
  const auto commit_file = repo.path() / ".git" / "commit-bytes";
  std::ofstream(commit_file, std::ios::binary)
      << "tree " << loop << "\nparent " << history.before
      << "\nauthor A <a@example.com> 1700000000 +0000\ncommitter C <c@example.com> 1700000100 +0000\n\nloop\n";
  history.commit = repo.git({"hash-object", "-t", "commit", "--literally", "-w", commit_file.string()}).substr(0, 40);
  repo.git({"update-ref", "refs/heads/loop", history.commit});
  return history;
}

}  // namespace sentryscan::testing
