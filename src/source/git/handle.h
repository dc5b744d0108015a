// RAII ownership of libgit2 handles, the library session, and small oid helpers
// shared by the git sources (history audit, range gate, staged scan).
#pragma once

#include <git2.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/c_handle.h"

namespace sentryscan::git {

// Initialises libgit2 for the lifetime of a command and switches off the
// per-object hash verification and object cache: a bulk scan reads each object
// once, so both only cost time and memory.
class Session {
 public:
  // How much of the pack files may be mapped at once.
  enum class PackWindows {
    // 32 MiB windows, 96 MiB in all: a history audit touches every object,
    // and libgit2's defaults (1 GiB windows, 8 GiB in all) would let mapped
    // pack data push the process past its 256 MiB budget.
    bounded,
    // libgit2's defaults: a staged scan reads HEAD's trees and a few blobs,
    // scattered across the pack. Under the cap those reads keep unmapping and
    // remapping windows (4.75 s instead of 0.24 s of CPU on a 134 MB
    // fast-import pack) while touching only a few MiB.
    library_default,
  };
  explicit Session(PackWindows windows = PackWindows::bounded);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

// A libgit2 call failed in a way the caller cannot work around.
class GitError : public std::runtime_error {
 public:
  GitError(const std::string& what, int code);
  int code() const { return code_; }

 private:
  int code_;
};

// The last libgit2 error message, or "error <code>" when it left none.
std::string last_error_text(int code);
// Throws GitError("<what>: <libgit2 message>") when code < 0.
void check(int code, std::string_view what);

template <typename T, void (*Free)(T*)>
using Handle = CHandle<T, Free>;

using Repository = Handle<git_repository, git_repository_free>;
using Odb = Handle<git_odb, git_odb_free>;
using OdbObject = Handle<git_odb_object, git_odb_object_free>;
using Object = Handle<git_object, git_object_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Tree = Handle<git_tree, git_tree_free>;
using TreeEntryHandle = Handle<git_tree_entry, git_tree_entry_free>;
using Blob = Handle<git_blob, git_blob_free>;
using Tag = Handle<git_tag, git_tag_free>;
using Reference = Handle<git_reference, git_reference_free>;
using ReferenceIterator = Handle<git_reference_iterator, git_reference_iterator_free>;
using Reflog = Handle<git_reflog, git_reflog_free>;
using Revwalk = Handle<git_revwalk, git_revwalk_free>;
using Diff = Handle<git_diff, git_diff_free>;
using Patch = Handle<git_patch, git_patch_free>;
using Index = Handle<git_index, git_index_free>;
using Worktree = Handle<git_worktree, git_worktree_free>;
using Submodule = Handle<git_submodule, git_submodule_free>;
using Config = Handle<git_config, git_config_free>;

// git_strarray is a value type with its own dispose function.
struct StrArray {
  git_strarray value{nullptr, 0};
  StrArray() = default;
  StrArray(const StrArray&) = delete;
  StrArray& operator=(const StrArray&) = delete;
  ~StrArray() { git_strarray_dispose(&value); }
};

// Opens the repository at `path` (a working tree, a subdirectory of one, a
// .git directory or a bare repository). An empty path opens the repository
// the environment names (GIT_DIR, GIT_INDEX_FILE... as git sets them for
// hooks) or the one containing the current directory.
Repository open_repository(const std::string& path);

// The path another handle can open to reach the same objects and refs.
std::string repository_path(git_repository* repo);

// Where .sentryscan.toml and .sentryscanignore are looked up: the top of the
// working tree, or the repository directory itself when it is bare.
std::filesystem::path config_root(git_repository* repo);

std::string to_hex(const git_oid& oid);
bool is_zero(const git_oid& oid);

// Orders oids bytewise, for std::map / std::sort.
struct OidLess {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_cmp(&a, &b) < 0; }
};

// For std::unordered_map keyed by oid: object ids are uniformly distributed,
// so their first bytes are a hash already.
struct OidHash {
  std::size_t operator()(const git_oid& oid) const {
    std::size_t value = 0;
    std::memcpy(&value, oid.id, sizeof value);
    return value;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
};

// A compact open-addressing set of object ids. Object ids are uniformly
// distributed, so their first bytes are a perfect hash; ~22 bytes per entry
// keeps even the tree set of a very large history small.
class OidSet {
 public:
  // True when `oid` was not in the set before.
  bool insert(const git_oid& oid);
  bool contains(const git_oid& oid) const;
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  std::size_t slot(const git_oid& oid) const;
  void grow();

  std::vector<git_oid> slots_;
  std::vector<bool> used_;
  std::size_t size_ = 0;
};

}  // namespace sentryscan::git
