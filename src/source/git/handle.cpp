#include "source/git/handle.h"

#include <fmt/format.h>

#include "source/git/system_certificates.h"

namespace sentryscan::git {

Session::Session(PackWindows windows) {
  {
    // The CA bundle is parsed when HTTPS is first needed (system_certificates.h).
    const DeferCertificateParsing defer;
    git_libgit2_init();
  }
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
  if (windows == PackWindows::library_default) return;
  // Mapped pack windows count towards the resident set once touched.
  // 32 MiB windows keep sequential reads efficient.
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, static_cast<std::size_t>(32) << 20);
  git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, static_cast<std::size_t>(96) << 20);
}

Session::~Session() { git_libgit2_shutdown(); }

GitError::GitError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}

std::string last_error_text(int code) {
  const git_error* error = git_error_last();
  if (error && error->message && *error->message) return error->message;
  return fmt::format("error {}", code);
}

void check(int code, std::string_view what) {
  if (code < 0) throw GitError(fmt::format("{}: {}", what, last_error_text(code)), code);
}

Repository open_repository(const std::string& path) {
  git_repository* raw = nullptr;
  int rc;
  if (path.empty())
    rc = git_repository_open_ext(&raw, nullptr, GIT_REPOSITORY_OPEN_FROM_ENV, nullptr);
  else
    rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
  if (rc < 0) {
    const std::string shown = path.empty() ? std::string(".") : path;
    if (rc == GIT_ENOTFOUND) throw GitError(fmt::format("{}: not a git repository", shown), rc);
    throw GitError(fmt::format("{}: cannot open repository: {}", shown, last_error_text(rc)), rc);
  }
  return Repository(raw);
}

std::string repository_path(git_repository* repo) { return git_repository_path(repo); }

std::filesystem::path config_root(git_repository* repo) {
  if (const char* workdir = git_repository_workdir(repo)) return workdir;
  return git_repository_path(repo);
}

std::string to_hex(const git_oid& oid) {
  char buffer[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buffer, sizeof buffer, &oid);
  return buffer;
}

bool is_zero(const git_oid& oid) { return git_oid_is_zero(&oid) != 0; }

std::size_t OidSet::slot(const git_oid& oid) const {
  std::uint64_t hash;
  std::memcpy(&hash, oid.id, sizeof hash);
  return static_cast<std::size_t>(hash) & (slots_.size() - 1);
}

void OidSet::grow() {
  std::vector<git_oid> old_slots = std::move(slots_);
  std::vector<bool> old_used = std::move(used_);
  const std::size_t capacity = old_slots.empty() ? 1024 : old_slots.size() * 2;
  slots_.assign(capacity, git_oid{});
  used_.assign(capacity, false);
  size_ = 0;
  for (std::size_t i = 0; i < old_slots.size(); ++i)
    if (old_used[i]) insert(old_slots[i]);
}

bool OidSet::insert(const git_oid& oid) {
  // Load factor stays below 0.7 so probe sequences stay short.
  if ((size_ + 1) * 10 > slots_.size() * 7) grow();
  for (std::size_t i = slot(oid);; i = (i + 1) & (slots_.size() - 1)) {
    if (!used_[i]) {
      slots_[i] = oid;
      used_[i] = true;
      ++size_;
      return true;
    }
    if (git_oid_equal(&slots_[i], &oid)) return false;
  }
}

bool OidSet::contains(const git_oid& oid) const {
  if (slots_.empty()) return false;
  for (std::size_t i = slot(oid);; i = (i + 1) & (slots_.size() - 1)) {
    if (!used_[i]) return false;
    if (git_oid_equal(&slots_[i], &oid)) return true;
  }
}

}  // namespace sentryscan::git
