#include "source/git/changes.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "source/git/diff_depth.h"
#include "source/git/tree_store.h"

namespace sentryscan::git {

LineSet LineSet::everything() {
  LineSet set;
  set.all_ = true;
  return set;
}

bool LineSet::contains(std::uint64_t line) const {
  if (all_) return true;
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), line,
                             [](std::uint64_t value, const auto& range) { return value < range.first; });
  if (it == ranges_.begin()) return false;
  --it;
  return line >= it->first && line <= it->second;
}

void LineSet::add(std::uint64_t line) {
  if (all_) return;
  if (!ranges_.empty() && line <= ranges_.back().second) return;
  if (!ranges_.empty() && line == ranges_.back().second + 1)
    ranges_.back().second = line;
  else
    ranges_.emplace_back(line, line);
}

LineSet LineSet::intersect(const LineSet& a, const LineSet& b) {
  if (a.all_) return b;
  if (b.all_) return a;
  LineSet result;
  std::size_t i = 0, j = 0;
  while (i < a.ranges_.size() && j < b.ranges_.size()) {
    const auto lo = std::max(a.ranges_[i].first, b.ranges_[j].first);
    const auto hi = std::min(a.ranges_[i].second, b.ranges_[j].second);
    if (lo <= hi) result.ranges_.emplace_back(lo, hi);
    if (a.ranges_[i].second < b.ranges_[j].second)
      ++i;
    else
      ++j;
  }
  return result;
}

namespace {

bool is_blob_mode(std::uint16_t mode) {
  return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE || mode == GIT_FILEMODE_LINK;
}

git_diff_options diff_options(const ChangeOptions& options) {
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  // Only added lines matter: no context to compute, no hunks to merge.
  opts.context_lines = 0;
  opts.interhunk_lines = 0;
  opts.max_size = static_cast<git_off_t>(std::min<std::uint64_t>(options.max_file_size, INT64_MAX));
  return opts;
}

void report(const ChangeOptions& options, const std::string& object, const std::string& message) {
  if (options.problem) options.problem(object, message);
}

// Walks the deltas of a finished diff and turns each new or modified blob into
// its added lines.
std::vector<ChangedBlob> added_blobs(git_diff* diff, const ChangeOptions& options) {
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  check(git_diff_find_similar(diff, &find), "detecting renames");

  std::vector<ChangedBlob> changes;
  const std::size_t count = git_diff_num_deltas(diff);
  for (std::size_t i = 0; i < count; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff, i);
    switch (delta->status) {
      case GIT_DELTA_ADDED:
      case GIT_DELTA_MODIFIED:
      case GIT_DELTA_RENAMED:
      case GIT_DELTA_COPIED:
      case GIT_DELTA_TYPECHANGE:
        break;
      default:
        continue;  // deleted, unmodified, conflicted (cannot be committed)...
    }
    if (!is_blob_mode(delta->new_file.mode)) continue;
    if (options.excluded && options.excluded(delta->new_file.path)) continue;
    if (delta->status != GIT_DELTA_ADDED && git_oid_equal(&delta->old_file.id, &delta->new_file.id)) continue;

    ChangedBlob change;
    change.path = delta->new_file.path;
    change.blob = delta->new_file.id;
    if (delta->status == GIT_DELTA_ADDED || !is_blob_mode(delta->old_file.mode)) {
      change.lines = LineSet::everything();
      changes.push_back(std::move(change));
      continue;
    }
    git_patch* raw = nullptr;
    const int rc = git_patch_from_diff(&raw, diff, i);
    if (rc < 0) {
      // Usually a missing blob on one side (partial clone, corruption).
      report(options, change.path, fmt::format("cannot diff (blobs {} -> {}): {}", to_hex(delta->old_file.id),
                                               to_hex(delta->new_file.id), last_error_text(rc)));
      continue;
    }
    Patch patch(raw);
    if (git_patch_get_delta(patch.get())->flags & GIT_DIFF_FLAG_BINARY) {
      change.binary = true;
      change.lines = LineSet::everything();
      change.old_blobs.push_back(delta->old_file.id);
      changes.push_back(std::move(change));
      continue;
    }
    const std::size_t hunks = git_patch_num_hunks(patch.get());
    for (std::size_t h = 0; h < hunks; ++h) {
      const int lines = git_patch_num_lines_in_hunk(patch.get(), h);
      for (int l = 0; l < lines; ++l) {
        const git_diff_line* line = nullptr;
        if (git_patch_get_line_in_hunk(&line, patch.get(), h, static_cast<std::size_t>(l)) < 0) continue;
        if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0)
          change.lines.add(static_cast<std::uint64_t>(line->new_lineno));
      }
    }
    if (!change.lines.empty()) changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace

std::vector<ChangedBlob> tree_changes(git_repository* repo, const std::vector<git_tree*>& parents, git_tree* new_tree,
                                      const ChangeOptions& options) {
  const git_diff_options opts = diff_options(options);
  DiffDepth depth(repo);
  const bool too_deep = parents.empty() ? !depth.ok(nullptr, new_tree)
                                        : std::any_of(parents.begin(), parents.end(),
                                                      [&](git_tree* parent) { return !depth.ok(parent, new_tree); });
  if (too_deep)
    throw TreeTooDeep(fmt::format("tree {} nests more than {} levels deep (git's core.maxTreeDepth), or holds itself: "
                                  "this commit was not diffed",
                                  to_hex(*git_tree_id(new_tree)), kMaxTreeDepth));
  if (parents.empty()) {
    git_diff* raw = nullptr;
    check(git_diff_tree_to_tree(&raw, repo, nullptr, new_tree, &opts), "diffing a root commit");
    Diff diff(raw);
    return added_blobs(diff.get(), options);
  }

  // Intersect per path: a line counts as added only if it is new relative to
  // every parent.
  std::map<std::string, ChangedBlob> result;
  for (std::size_t p = 0; p < parents.size(); ++p) {
    git_diff* raw = nullptr;
    check(git_diff_tree_to_tree(&raw, repo, parents[p], new_tree, &opts), "diffing a commit against its parent");
    Diff diff(raw);
    std::vector<ChangedBlob> changes = added_blobs(diff.get(), options);
    if (p == 0) {
      for (auto& change : changes) {
        std::string path = change.path;
        result.emplace(std::move(path), std::move(change));
      }
      continue;
    }
    std::map<std::string, ChangedBlob> next;
    for (auto& change : changes) {
      auto it = result.find(change.path);
      if (it == result.end()) continue;
      ChangedBlob merged = std::move(it->second);
      merged.lines = LineSet::intersect(merged.lines, change.lines);
      merged.binary = merged.binary || change.binary;
      merged.old_blobs.insert(merged.old_blobs.end(), change.old_blobs.begin(), change.old_blobs.end());
      if (!merged.lines.empty()) next.emplace(change.path, std::move(merged));
    }
    result = std::move(next);
  }
  std::vector<ChangedBlob> out;
  out.reserve(result.size());
  for (auto& [path, change] : result) out.push_back(std::move(change));
  return out;
}

std::vector<ChangedBlob> index_changes(git_repository* repo, git_tree* head, git_index* index,
                                       const ChangeOptions& options, const std::vector<std::string>* only_paths) {
  git_diff_options opts = diff_options(options);
  std::vector<char*> pathspec;
  if (only_paths) {
    if (only_paths->empty()) return {};  // an empty pathspec would mean "everything"
    for (const auto& path : *only_paths) pathspec.push_back(const_cast<char*>(path.c_str()));
    opts.pathspec = {pathspec.data(), pathspec.size()};
    // Literal paths, each also standing for what is under it; libgit2 then
    // descends only into the trees on their way.
    opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
  }
  // The diff expands HEAD's directories the pathspec names, or all of HEAD.
  DiffDepth depth(repo);
  const bool too_deep = only_paths ? std::any_of(only_paths->begin(), only_paths->end(),
                                                 [&](const std::string& path) { return !depth.ok_at(head, path); })
                                   : !depth.ok(nullptr, head);
  if (too_deep)
    throw TreeTooDeep(fmt::format("HEAD's tree {} nests more than {} levels deep (git's core.maxTreeDepth), or holds "
                                  "itself: the index was not compared with it",
                                  to_hex(*git_tree_id(head)), kMaxTreeDepth));
  git_diff* raw = nullptr;
  check(git_diff_tree_to_index(&raw, repo, head, index, &opts), "diffing the index against HEAD");
  Diff diff(raw);
  return added_blobs(diff.get(), options);
}

}  // namespace sentryscan::git
