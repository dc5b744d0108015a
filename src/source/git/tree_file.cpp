#include "source/git/tree_file.h"

#include <filesystem>

namespace sentryscan::git {
namespace {

// Config files are a few KiB; anything this big is not one, and reading it
// whole is what a hostile repository would want.
constexpr git_object_size_t kMaxConfigFileSize = 1 << 20;

bool regular(std::uint32_t mode) { return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE; }

std::optional<TreeFile> read_blob(git_repository* repo, const git_oid& id, std::string_view path) {
  git_blob* raw = nullptr;
  check(git_blob_lookup(&raw, repo, &id), "reading " + std::string(path));
  Blob blob(raw);
  const git_object_size_t size = git_blob_rawsize(blob.get());
  if (size > kMaxConfigFileSize)
    throw GitError(std::string(path) + ": larger than 1 MiB, not a sentryscan settings file", -1);
  TreeFile file;
  file.text.assign(static_cast<const char*>(git_blob_rawcontent(blob.get())), static_cast<std::size_t>(size));
  file.blob = id;
  return file;
}

}  // namespace

std::optional<TreeFile> read_commit_file(git_repository* repo, const git_oid& commit, std::string_view path) {
  git_commit* raw_commit = nullptr;
  check(git_commit_lookup(&raw_commit, repo, &commit), "reading commit " + to_hex(commit));
  Commit owned_commit(raw_commit);
  git_tree* raw_tree = nullptr;
  check(git_commit_tree(&raw_tree, owned_commit.get()), "reading the tree of " + to_hex(commit));
  Tree tree(raw_tree);
  git_tree_entry* raw_entry = nullptr;
  const int rc = git_tree_entry_bypath(&raw_entry, tree.get(), std::string(path).c_str());
  if (rc == GIT_ENOTFOUND) return std::nullopt;
  check(rc, "looking up " + std::string(path));
  Handle<git_tree_entry, git_tree_entry_free> entry(raw_entry);
  if (!regular(git_tree_entry_filemode(entry.get()))) return std::nullopt;
  return read_blob(repo, *git_tree_entry_id(entry.get()), path);
}

std::optional<TreeFile> read_index_file(git_repository* repo, std::string_view path) {
  git_index* raw = nullptr;
  check(git_repository_index(&raw, repo), "reading the index");
  Index index(raw);
  const git_index_entry* entry = git_index_get_bypath(index.get(), std::string(path).c_str(), 0);
  if (!entry || !regular(entry->mode)) return std::nullopt;
  return read_blob(repo, entry->id, path);
}

std::optional<std::string> path_in_worktree(git_repository* repo, const std::string& path) {
  const char* workdir = git_repository_workdir(repo);
  if (!workdir) return std::nullopt;
  std::error_code ec;
  const auto top = std::filesystem::weakly_canonical(workdir, ec);
  const auto file = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  if (ec) return std::nullopt;
  const auto relative = file.lexically_relative(top);
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative.generic_string();
}

}  // namespace sentryscan::git
