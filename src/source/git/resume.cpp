#include "source/git/resume.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "source/git/history.h"

namespace sentryscan::git {

std::string repository_identity(git_repository* repo) {
  const std::filesystem::path dir = git_repository_commondir(repo);
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(std::filesystem::absolute(dir), error);
  if (error) canonical = std::filesystem::absolute(dir).lexically_normal();
  std::string text = canonical.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

namespace {

// The object a ref names now, peeled like HistoryWalker::add_tip; nullopt when
// the ref is gone or names nothing readable.
std::optional<git_oid> current_target(git_repository* repo, const std::string& name) {
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, name.c_str()) < 0) return std::nullopt;
  Reference ref(raw);
  git_reference* raw_resolved = nullptr;
  if (git_reference_resolve(&raw_resolved, ref.get()) < 0) return std::nullopt;
  Reference resolved(raw_resolved);
  git_object* raw_object = nullptr;
  if (git_reference_peel(&raw_object, resolved.get(), GIT_OBJECT_ANY) < 0) return std::nullopt;
  Object object(raw_object);
  return *git_object_id(object.get());
}

bool object_exists(git_repository* repo, const git_oid& oid) {
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repo) < 0) return false;
  Odb odb(raw);
  return git_odb_exists(odb.get(), &oid) == 1;
}

}  // namespace

std::optional<std::string> why_not_resume(git_repository* repo, const std::vector<RecordedTip>& recorded) {
  if (!read_shallow_boundary(repo).empty())
    return std::string("the repository is a shallow clone, whose history cannot be compared with the last audit");
  for (const auto& tip : recorded) {
    if (!object_exists(repo, tip.oid))
      return fmt::format("{} of the last audit ({}) is no longer in the repository", tip.ref,
                         to_hex(tip.oid).substr(0, 12));
    if (!tip.ref.starts_with("refs/")) continue;  // HEADs and stash entries move freely
    const std::optional<git_oid> now = current_target(repo, tip.ref);
    if (!now) return fmt::format("{} was deleted since the last audit", tip.ref);
    if (git_oid_equal(&*now, &tip.oid)) continue;
    // Fast-forward: the old tip is in the new one's history. Anything else
    // (force-push, rebase, a tag moved) rewrote what the ref stands for.
    if (git_graph_descendant_of(repo, &*now, &tip.oid) != 1)
      return fmt::format("{} was rewritten since the last audit (force-push or rebase: {} is not in its history)",
                         tip.ref, to_hex(tip.oid).substr(0, 12));
  }
  return std::nullopt;
}

}  // namespace sentryscan::git
