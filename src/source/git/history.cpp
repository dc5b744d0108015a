#include "source/git/history.h"

#include <fmt/format.h>

#include <fstream>

namespace sentryscan::git {

OidSet read_shallow_boundary(git_repository* repo) {
  OidSet boundary;
  std::ifstream in(std::string(git_repository_commondir(repo)) + "shallow");
  std::string line;
  while (std::getline(in, line)) {
    git_oid oid;
    if (line.size() >= GIT_OID_HEXSZ && git_oid_fromstrn(&oid, line.data(), GIT_OID_HEXSZ) == 0)
      boundary.insert(oid);
  }
  return boundary;
}

HistoryWalker::HistoryWalker(git_repository* repo, WalkCallbacks callbacks, const TreeStore* trees)
    : repo_(repo),
      callbacks_(std::move(callbacks)),
      store_(trees),
      trees_(repo, trees),
      shallow_(read_shallow_boundary(repo)),
      trees_complete_(trees),
      blobs_(trees) {}

void HistoryWalker::problem(const git_oid& oid, const std::string& message) {
  if (callbacks_.problem) callbacks_.problem(to_hex(oid), message);
}

RefListing list_refs(git_repository* repo) {
  git_reference_iterator* raw_iterator = nullptr;
  check(git_reference_iterator_new(&raw_iterator, repo), "listing references");
  ReferenceIterator iterator(raw_iterator);
  RefListing listing;
  for (;;) {
    git_reference* raw = nullptr;
    const int rc = git_reference_next(&raw, iterator.get());
    if (rc == GIT_ITEROVER) break;
    if (rc < 0) {
      listing.error = last_error_text(rc);
      break;
    }
    Reference ref(raw);
    git_reference* resolved_raw = nullptr;
    // A symbolic ref to a missing branch (origin/HEAD after a prune) has no
    // content of its own; whatever it once named is covered by the other refs.
    if (git_reference_resolve(&resolved_raw, ref.get()) < 0) continue;
    Reference resolved(resolved_raw);
    if (const git_oid* target = git_reference_target(resolved.get()))
      listing.refs.emplace_back(git_reference_name(ref.get()), *target);
  }
  return listing;
}

void HistoryWalker::add_ref_tips() { add_ref_tips(list_refs(repo_)); }

void HistoryWalker::add_ref_tips(const RefListing& listing) {
  for (const auto& [name, target] : listing.refs) add_tip(target, name);
  if (listing.error && callbacks_.problem) callbacks_.problem("refs", "cannot read a reference: " + *listing.error);

  git_oid head;
  if (git_reference_name_to_id(&head, repo_, "HEAD") == 0) add_tip(head, "HEAD");

  // Linked worktrees may have a detached HEAD that no ref names; so may the
  // main worktree when this handle is one of the linked ones.
  StrArray names;
  if (git_worktree_list(&names.value, repo_) == 0) {
    for (std::size_t i = 0; i < names.value.count; ++i) {
      git_worktree* raw_worktree = nullptr;
      if (git_worktree_lookup(&raw_worktree, repo_, names.value.strings[i]) < 0) continue;
      Worktree worktree(raw_worktree);
      git_repository* raw_repo = nullptr;
      if (git_repository_open_from_worktree(&raw_repo, worktree.get()) < 0) continue;
      Repository other(raw_repo);
      if (git_reference_name_to_id(&head, other.get(), "HEAD") == 0)
        add_tip(head, fmt::format("worktree {} HEAD", names.value.strings[i]));
    }
  }
  if (git_repository_is_worktree(repo_)) {
    git_repository* raw_repo = nullptr;
    if (git_repository_open(&raw_repo, git_repository_commondir(repo_)) == 0) {
      Repository main(raw_repo);
      if (git_reference_name_to_id(&head, main.get(), "HEAD") == 0) add_tip(head, "HEAD");
    }
  }

  // Only the newest stash is refs/stash; older ones live in its reflog.
  git_reflog* raw_reflog = nullptr;
  if (git_reflog_read(&raw_reflog, repo_, "refs/stash") == 0) {
    Reflog reflog(raw_reflog);
    const std::size_t count = git_reflog_entrycount(reflog.get());
    for (std::size_t i = 0; i < count; ++i) {
      const git_reflog_entry* entry = git_reflog_entry_byindex(reflog.get(), i);
      const git_oid* id = git_reflog_entry_id_new(entry);
      if (id && !is_zero(*id)) add_tip(*id, fmt::format("stash@{{{}}}", i));
    }
  }
}

void HistoryWalker::add_tip(const git_oid& start, const std::string& origin) {
  ++tips_;
  git_oid oid = start;
  // Tags can point at tags; a cycle is impossible, a long chain is nonsense.
  for (int depth = 0; depth < 64; ++depth) {
    // Most tips are commits the tree store parsed (14,088 refs on sentry-javascript).
    if (store_ && store_->commit(oid)) {
      named_tips_.emplace_back(origin, oid);
      add_commit_tip(oid);
      return;
    }
    git_object* raw = nullptr;
    const int rc = git_object_lookup(&raw, repo_, &oid, GIT_OBJECT_ANY);
    if (rc < 0) {
      problem(oid, fmt::format("{} points to an object that cannot be read: {}", origin, last_error_text(rc)));
      return;
    }
    Object object(raw);
    switch (git_object_type(object.get())) {
      case GIT_OBJECT_COMMIT:
        named_tips_.emplace_back(origin, oid);
        add_commit_tip(oid);
        return;
      case GIT_OBJECT_TAG:
        oid = *git_tag_target_id(reinterpret_cast<git_tag*>(object.get()));
        continue;
      case GIT_OBJECT_TREE:
        named_tips_.emplace_back(origin, oid);
        walk_tree(oid, "");
        return;
      case GIT_OBJECT_BLOB:
        named_tips_.emplace_back(origin, oid);
        if (blobs_.insert(oid) && callbacks_.blob && !quiet_) callbacks_.blob(oid, origin);
        return;
      default:
        return;
    }
  }
}

void HistoryWalker::add_commit_tip(const git_oid& oid) {
  if (commits_seen_.insert(oid)) pending_.push_back(oid);
}

ObjectListing list_all_objects(git_repository* repo) {
  git_odb* raw_odb = nullptr;
  check(git_repository_odb(&raw_odb, repo), "opening the object database");
  Odb odb(raw_odb);
  ObjectListing listing;
  const int rc = git_odb_foreach(
      odb.get(),
      [](const git_oid* id, void* payload) {
        static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
        return 0;
      },
      &listing.ids);
  if (rc < 0) listing.error = last_error_text(rc);
  return listing;
}

void HistoryWalker::add_all_objects() { add_all_objects(list_all_objects(repo_)); }

void HistoryWalker::add_all_objects(const ObjectListing& listing) {
  git_odb* raw_odb = nullptr;
  check(git_repository_odb(&raw_odb, repo_), "opening the object database");
  Odb odb(raw_odb);
  // Seen: a bit per packed object when there is a tree store (an OidSet of
  // all 513,036 ids of sentry-javascript is 20 MB more at the audit's peak).
  // Each id is looked up in the store once, and its number reused for the
  // sets and its type (two lookups each took 0.2 s on sentry-javascript).
  ObjectSet seen(store_);
  std::vector<std::pair<git_oid, std::uint32_t>> oids;  // listing order: the walk's order depends on it
  oids.reserve(listing.ids.size());
  for (const git_oid& id : listing.ids) {
    const std::uint32_t index = store_ ? store_->index_of(id) : kNoIndex;
    if (seen.insert(id, index)) oids.emplace_back(id, index);
  }
  if (listing.error && callbacks_.problem) callbacks_.problem("objects", "cannot list every object: " + *listing.error);
  for (const auto& [oid, index] : oids) {
    // The tree store knows the type of every packed object from the pack's
    // headers; libgit2 works it out by reading into each delta chain (3.3 s
    // for sentry-javascript's 513,036 objects).
    std::optional<git_object_t> known = store_ ? store_->packed_type(oid, index) : std::nullopt;
    git_object_t type = known.value_or(GIT_OBJECT_INVALID);
    std::size_t size = 0;
    const int header_rc = known ? 0 : git_odb_read_header(&size, &type, odb.get(), &oid);
    if (header_rc < 0) {
      problem(oid, "cannot read object: " + last_error_text(header_rc));
      continue;
    }
    if (type == GIT_OBJECT_COMMIT) {
      ++tips_;
      add_commit_tip(oid);
    }
    if (type == GIT_OBJECT_BLOB) {
      ++tips_;
      loose_blobs_.push_back(oid);
    }
  }
}

void HistoryWalker::mark_known(const git_oid& start) {
  git_oid oid = start;
  for (int depth = 0; depth < 64; ++depth) {
    git_object* raw = nullptr;
    if (git_object_lookup(&raw, repo_, &oid, GIT_OBJECT_ANY) < 0) return;  // gone: nothing to skip
    Object object(raw);
    switch (git_object_type(object.get())) {
      case GIT_OBJECT_COMMIT:
        oid = *git_commit_tree_id(reinterpret_cast<git_commit*>(object.get()));
        continue;
      case GIT_OBJECT_TAG:
        oid = *git_tag_target_id(reinterpret_cast<git_tag*>(object.get()));
        continue;
      case GIT_OBJECT_TREE:
        quiet_ = true;
        walk_tree(oid, "");
        quiet_ = false;
        return;
      case GIT_OBJECT_BLOB:
        blobs_.insert(oid);
        return;
      default:
        return;
    }
  }
}

void HistoryWalker::hide_known(const std::vector<git_oid>& known) {
  // Trees first: a subtree the known tips hold is then skipped whole when a
  // new commit's tree names it.
  OidSet known_set;
  std::vector<git_oid> unique;
  for (const git_oid& oid : known)
    if (known_set.insert(oid)) {
      unique.push_back(oid);
      mark_known(oid);
    }
  // Only tips that moved are walked from: libgit2's walk with thousands of
  // pushed and hidden tips (sentry-python: 5,072 refs) costs seconds even
  // when nothing is new.
  std::vector<git_oid> moved;
  for (const git_oid& oid : pending_)
    if (!known_set.contains(oid)) moved.push_back(oid);
  pending_ = moved;
  for (const git_oid& oid : unique) commits_seen_.insert(oid);
  if (moved.empty()) return;

  git_revwalk* raw_walk = nullptr;
  check(git_revwalk_new(&raw_walk, repo_), "starting a revision walk");
  Revwalk walk(raw_walk);
  for (const git_oid& oid : unique) {
    git_object* raw = nullptr;
    if (git_object_lookup(&raw, repo_, &oid, GIT_OBJECT_ANY) < 0) continue;
    Object object(raw);
    if (git_object_type(object.get()) == GIT_OBJECT_COMMIT)
      check(git_revwalk_hide(walk.get(), &oid), "hiding a known tip");
  }
  for (const git_oid& oid : moved) check(git_revwalk_push(walk.get(), &oid), "walking from a tip");
  OidSet fresh;
  std::vector<git_oid> order;
  git_oid next;
  int rc = 0;
  while ((rc = git_revwalk_next(&next, walk.get())) == 0)
    if (fresh.insert(next)) order.push_back(next);
  if (rc != GIT_ITEROVER) check(rc, "walking the new commits");
  // Every commit outside `fresh` is known: the walk must not enter it, and
  // its tree is the edge new commits are compared against.
  std::vector<git_oid> still_pending;
  for (const git_oid& oid : pending_)
    if (fresh.contains(oid)) still_pending.push_back(oid);
  pending_ = std::move(still_pending);
  OidSet edge;
  for (const git_oid& oid : order) {
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_, &oid) < 0) continue;  // run() reports it
    Commit commit(raw);
    const unsigned parents = git_commit_parentcount(commit.get());
    for (unsigned i = 0; i < parents; ++i) {
      const git_oid& parent = *git_commit_parent_id(commit.get(), i);
      if (fresh.contains(parent) || !edge.insert(parent)) continue;
      commits_seen_.insert(parent);
      mark_known(parent);
    }
  }
}

void HistoryWalker::run() {
  CommitHead head;
  while (!pending_.empty()) {
    const git_oid oid = pending_.back();
    pending_.pop_back();
    if (const int rc = read_commit_head(repo_, store_, oid, head); rc < 0) {
      problem(oid, "missing or unreadable commit: " + last_error_text(rc));
      continue;
    }
    commits_.push_back(oid);
    walk_tree(head.tree, "");
    if (shallow_.contains(oid)) {
      hit_shallow_ = true;
      continue;
    }
    for (const git_oid& parent : head.parents) add_commit_tip(parent);
  }
}

// Trees are deduplicated by oid: the same tree under the same or another
// commit holds the same blobs. Exclusions break that when they depend on the
// prefix (an anchored `docs/x.txt`), so a tree in which something was excluded
// is only skipped when seen again at the same prefix.
bool HistoryWalker::walk_tree(const git_oid& tree_oid, const std::string& prefix, std::uint32_t index) {
  if (trees_complete_.contains(tree_oid, index)) return true;
  std::string key(reinterpret_cast<const char*>(tree_oid.id), GIT_OID_RAWSZ);
  key += prefix;
  if (trees_at_prefix_.contains(key)) return false;

  if (depth_ >= kMaxTreeDepth) {
    trees_complete_.insert(tree_oid, index);
    problem(tree_oid, fmt::format("tree nested more than {} levels deep (git's core.maxTreeDepth), or holding itself: "
                                  "what is below it was not scanned",
                                  kMaxTreeDepth));
    return true;
  }
  struct Deeper {
    unsigned& depth;
    explicit Deeper(unsigned& d) : depth(++d) {}
    ~Deeper() { --depth; }
  } deeper(depth_);
  TreeEntries tree;
  const int rc = trees_.read(tree_oid, tree, index);
  if (rc < 0) {
    // Report a missing tree once, however many commits share it.
    trees_complete_.insert(tree_oid, index);
    problem(tree_oid, fmt::format("missing or unreadable tree{}: {}", prefix.empty() ? "" : " at " + prefix,
                                  last_error_text(rc)));
    return true;
  }
  ++trees_read_;
  bool complete = true;
  std::string path;
  // The path is only built when something needs it: 5.3 M entries on
  // sentry-javascript, nearly all of them blobs seen before.
  auto path_of = [&](std::string_view name) -> const std::string& {
    path.assign(prefix);
    if (!prefix.empty()) path += '/';
    path += name;
    return path;
  };
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const TreeEntry entry = tree[i];
    // Submodules are other repositories; --recurse-submodules scans them separately.
    if (entry.mode == GIT_FILEMODE_COMMIT) continue;
    if (callbacks_.excluded && callbacks_.excluded(path_of(entry.name))) {
      complete = false;
      continue;
    }
    if (entry.mode == GIT_FILEMODE_TREE) {
      if (!walk_tree(*entry.id, path_of(entry.name), entry.index)) complete = false;
    } else if (blobs_.insert(*entry.id, entry.index) && callbacks_.blob && !quiet_) {
      callbacks_.blob(*entry.id, path_of(entry.name));
    }
  }
  if (complete)
    trees_complete_.insert(tree_oid, index);
  else
    trees_at_prefix_.insert(std::move(key));
  return complete;
}

void HistoryWalker::finish_unreachable_blobs() {
  for (const git_oid& oid : loose_blobs_)
    if (blobs_.insert(oid) && callbacks_.blob) callbacks_.blob(oid, "");
  loose_blobs_.clear();
  loose_blobs_.shrink_to_fit();
}

}  // namespace sentryscan::git
