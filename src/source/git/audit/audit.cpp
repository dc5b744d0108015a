#include "source/git/audit/audit.h"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <tuple>

#include "core/release_memory.h"
#include "decode/archive.h"
#include "source/git/audit/blob_history.h"
#include "source/git/blob_pool.h"
#include "source/git/audit/delta_scan.h"
#include "source/git/history.h"
#include "source/git/pack_blobs.h"
#include "source/git/pack_order.h"
#include "source/git/provenance.h"
#include "source/git/scan_common.h"
#include "source/git/tree_store.h"

namespace sentryscan::git {
namespace {

// Blobs that no commit reaches (found by --all-objects) have no path.
constexpr const char* kUnreachablePath = "(unreachable)";

// What the scan of one blob found, and the path it was scanned under (each
// blob is scanned once, whatever number of paths and commits hold it).
struct BlobHits {
  std::string scanned_path;
  std::vector<Finding> findings;
};
using HitsByBlob = std::map<git_oid, BlobHits, OidLess>;

// A partial clone names its promisor remote in extensions.partialclone (older
// git) or marks it with remote.<name>.promisor (current git).
bool is_partial_clone(git_repository* repo) {
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) < 0) return false;
  Config config(raw);
  git_buf value = GIT_BUF_INIT;
  bool partial = git_config_get_string_buf(&value, config.get(), "extensions.partialclone") == 0;
  git_buf_dispose(&value);
  // Matched by hand: libgit2's regex-based git_config_foreach_match leaks
  // pcre2 match data (seen under LeakSanitizer).
  git_config_foreach(
      config.get(),
      [](const git_config_entry* entry, void* payload) {
        const std::string_view name = entry->name;
        int enabled = 0;
        if (name.starts_with("remote.") && name.ends_with(".promisor") &&
            git_config_parse_bool(&enabled, entry->value) == 0 && enabled)
          *static_cast<bool*>(payload) = true;
        return 0;
      },
      &partial);
  return partial;
}

// What libgit2 lists before the walk can start: the refs (28,381 on
// sentry-javascript) and, for --all-objects, every object id. Listed on a
// thread of its own while the audit parses the packs, which takes one core
// and leaves the other idle; with a handle of its own (libgit2 handles are
// not shared between threads). Empty when either cannot be had: the audit
// then lists on its own handle, as it did before.
struct Listings {
  std::optional<RefListing> refs;
  std::optional<ObjectListing> objects;
};

std::future<Listings> list_in_background(const std::string& path, bool all_objects) {
  try {
    return std::async(std::launch::async, [path, all_objects] {
      Listings listings;
      try {
        const Repository own = open_repository(path);
        listings.refs = list_refs(own.get());
        if (all_objects) listings.objects = list_all_objects(own.get());
      } catch (const std::exception&) {
        // Whatever failed is listed again on the audit's handle, which reports it.
      }
      return listings;
    });
  } catch (const std::system_error&) {  // no thread
    return {};
  }
}

class Auditor {
 public:
  Auditor(const Scanner& scanner, ScanSink& sink, const AuditOptions& options)
      : scanner_(scanner), sink_(sink), options_(options), problems_(sink), excluded_(make_excluded(options.exclude)) {}

  void audit(git_repository* repo, const std::string& prefix) {
    auto excluded = [&](std::string_view path) {
      return excluded_ && excluded_(prefix.empty() ? std::string(path) : prefix + std::string(path));
    };
    // Phase 1: enumerate. Blobs are only listed here (oid and first path);
    // nothing is read until they can be read in pack order.
    struct PendingBlob {
      git_oid oid;
      std::size_t path_begin = 0, path_size = 0;
    };
    std::vector<PendingBlob> pending;
    std::string paths;  // all paths back to back: far less memory than one string each
    WalkCallbacks callbacks;
    callbacks.blob = [&](const git_oid& oid, const std::string& path) {
      const std::string full = path.empty() ? std::string() : prefix + path;
      pending.push_back({oid, paths.size(), full.size()});
      paths += full;
    };
    callbacks.problem = [&](const std::string& object, const std::string& message) {
      problems_.object_problem(object, message);
    };
    if (excluded_) callbacks.excluded = excluded;
    const bool top = prefix.empty();
    std::future<Listings> listing = list_in_background(repository_path(repo), options_.all_objects);
    // Every tree of the packs, parsed once for the walk and for provenance
    // (tree_store.h). Not when resuming: the walk then reads only the trees
    // of new commits, far fewer than a load would parse.
    std::optional<RepositoryPacks> packs;
    if (options_.object_reader == ObjectReader::pack) packs.emplace(repo);
    std::unique_ptr<TreeStore> trees;
    if (packs && !(top && !options_.known_tips.empty())) trees = TreeStore::load(*packs, scanner_.workers());
    HistoryWalker walker(repo, std::move(callbacks), trees.get());
    {
      Listings listed = listing.valid() ? listing.get() : Listings{};
      if (!listed.refs) listed.refs = list_refs(repo);
      walker.add_ref_tips(*listed.refs);
      if (options_.all_objects) {
        if (!listed.objects) listed.objects = list_all_objects(repo);
        walker.add_all_objects(*listed.objects);
      }
    }
    if (top && !options_.known_tips.empty()) walker.hide_known(options_.known_tips);
    walker.run();
    if (top && options_.walk) {
      options_.walk->tips = walker.named_tips();
      options_.walk->commits = walker.commits().size();
    }
    walker.finish_unreachable_blobs();
    // The walk's transient sets are freed; glibc keeps their pages resident
    // unless asked, and the audit's peak comes next, while blobs are scanned.
    release_free_memory();

    // Phase 2: read and scan in parallel, the pack reader first (in pack
    // order itself), then libgit2 for whatever it left. Both readers scan on
    // the thread that read the blob.
    HitsByBlob hits;
    std::mutex hits_mutex;
    DeltaScanCounters delta_counters;
    const std::size_t reach = context_reach(scanner_.matcher());
    auto scan_blob = [&](unsigned worker, const git_oid& oid, const std::string& path, std::string_view data,
                         pack::BlobDelta* delta) {
      Chunk chunk;
      chunk.data = data;
      chunk.provenance.kind = SourceKind::git;
      chunk.provenance.path = path;
      chunk.provenance.blob = to_hex(oid);
      std::vector<Finding> findings =
          scan_blob_delta(scanner_, sink_, worker, chunk, delta, options_.delta_scan, reach, delta_counters);
      if (findings.empty()) return;
      std::lock_guard lock(hits_mutex);
      auto& slot = hits[oid];
      slot.scanned_path = path;
      for (auto& f : findings) slot.findings.push_back(std::move(f));
    };
    std::vector<std::uint8_t> read_from_pack(pending.size(), 0);
    if (packs) {
      // The pack reader first, in pack order; libgit2 below reads the rest.
      std::vector<std::size_t> by_oid(pending.size());
      std::iota(by_oid.begin(), by_oid.end(), std::size_t{0});
      std::sort(by_oid.begin(), by_oid.end(), [&](std::size_t a, std::size_t b) {
        return git_oid_cmp(&pending[a].oid, &pending[b].oid) < 0;
      });
      std::vector<git_oid> wanted;
      std::vector<std::size_t> group(pending.size());  // pending index -> wanted index
      for (const std::size_t j : by_oid) {
        if (wanted.empty() || git_oid_cmp(&wanted.back(), &pending[j].oid) != 0) wanted.push_back(pending[j].oid);
        group[j] = wanted.size() - 1;
      }
      std::vector<std::size_t> first_of(wanted.size());
      for (std::size_t k = by_oid.size(); k-- > 0;) first_of[group[by_oid[k]]] = by_oid[k];
      pack::ReadOptions read_options;
      read_options.threads = scanner_.workers();
      read_options.max_object_size = scanner_.limits().max_file_size;
      read_options.record_ops = options_.delta_scan != DeltaScan::off;
      const std::vector<std::uint8_t> done = packs->read(
          wanted, read_options,
          pack::DeltaBlobCallback([&](unsigned worker, std::size_t i, std::string_view bytes, pack::BlobDelta& delta) {
            const PendingBlob& blob = pending[first_of[i]];
            scan_blob(worker, blob.oid, paths.substr(blob.path_begin, blob.path_size), bytes, &delta);
          }));
      for (std::size_t j = 0; j < pending.size(); ++j) read_from_pack[j] = done[group[j]];
    }
    // libgit2 reads what is left in pack order too: its small cache of delta
    // bases then hits (tree-walk order re-inflated whole chains, ~5x the CPU).
    std::vector<std::pair<std::pair<std::uint32_t, std::uint64_t>, std::size_t>> left;  // position, pending index
    if (std::find(read_from_pack.begin(), read_from_pack.end(), 0) != read_from_pack.end()) {
      const PackOrder order(repo);
      for (std::size_t j = 0; j < pending.size(); ++j)
        if (!read_from_pack[j]) left.push_back({order.position(pending[j].oid), j});
      std::stable_sort(left.begin(), left.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    BlobPool pool(repository_path(repo), scanner_.workers(),
                  [&](unsigned worker, BlobReader& reader, BlobJob& job) {
                    OdbObject object = read_for_scan(scanner_, sink_, problems_, reader, job.oid, job.path);
                    if (!object) return;
                    scan_blob(worker, job.oid, job.path,
                              {static_cast<const char*>(git_odb_object_data(object.get())),
                               git_odb_object_size(object.get())},
                              nullptr);
                  });
    for (const auto& [position, j] : left) {
      const PendingBlob& blob = pending[j];
      pool.submit(BlobJob{blob.oid, paths.substr(blob.path_begin, blob.path_size), 0});
    }
    pending = {};
    paths = {};
    pool.finish();

    const std::string where = prefix.empty() ? std::string() : prefix.substr(0, prefix.size() - 1);
    if (options_.delta_scan == DeltaScan::verify && options_.report_delta_counts)
      sink_.add_issue({ScanIssue::Kind::warning, where, describe(delta_counters)});
    if (walker.tips() == 0)
      sink_.add_issue({ScanIssue::Kind::warning, where, "the repository has no commits: nothing to scan"});
    if (walker.shallow())
      sink_.add_issue({ScanIssue::Kind::incomplete, where,
                          "shallow clone: history before the shallow boundary is not in this repository and was not "
                          "scanned; fetch the full history (git fetch --unshallow, or actions/checkout with "
                          "fetch-depth: 0)"});
    if (problems_.count() > 0 && is_partial_clone(repo))
      sink_.add_issue({ScanIssue::Kind::warning, where,
                          "partial clone: objects that were never fetched cannot be scanned (clone without --filter "
                          "for a complete audit)"});

    add_provenance(repo, walker, trees.get(), prefix, excluded, std::move(hits));
    if (options_.recurse_submodules) audit_submodules(repo, prefix);
  }

  void finish() { problems_.flush(); }

 private:
  void add_provenance(git_repository* repo, const HistoryWalker& walker, const TreeStore* trees, const std::string& prefix,
                      const std::function<bool(std::string_view)>& excluded,
                      HitsByBlob hits) {
    if (hits.empty()) return;
    std::vector<git_oid> targets;
    for (const auto& [oid, blob_hits] : hits) targets.push_back(oid);
    const auto origins = find_origins(repo, walker.commits(), targets, excluded_ ? excluded : nullptr, trees,
                                      scanner_.workers());
    const BlobHistories histories = blob_histories(repo, origins, targets, prefix, trees);
    std::map<git_oid, CommitMeta, OidLess> metas;
    std::vector<Finding> all;
    for (auto& [oid, blob_hits] : hits) {
      const auto origin = origins.find(oid);
      const bool found = origin != origins.end() && origin->second.found;
      const CommitMeta* meta = nullptr;
      if (found) {
        auto it = metas.find(origin->second.commit);
        if (it == metas.end()) {
          git_commit* raw = nullptr;
          if (git_commit_lookup(&raw, repo, &origin->second.commit) == 0) {
            Commit commit(raw);
            it = metas.emplace(origin->second.commit, commit_meta(commit.get())).first;
          }
        }
        if (it != metas.end()) meta = &it->second;
      }
      for (auto& f : blob_hits.findings) {
        f.source.kind = SourceKind::git;
        f.source.blob = to_hex(oid);
        if (const auto history = histories.find(oid); history != histories.end()) f.source.history = history->second;
        // A finding inside an archive keeps its "!inner/path" after the path
        // that introduced the archive.
        const std::string inner(decode::archive_suffix(f.source.path, blob_hits.scanned_path));
        if (found) {
          f.source.path = prefix + origin->second.path + inner;
          f.source.other_locations = origin->second.introductions - 1;
        } else if (blob_hits.scanned_path.empty()) {
          f.source.path = kUnreachablePath + inner;
        }
        if (meta) {
          f.source.commit = meta->id;
          f.source.author = meta->author;
          f.source.email = meta->email;
          f.source.date = meta->date;
          f.source.message = meta->summary;
        }
        all.push_back(std::move(f));
      }
    }
    sink_.add_findings(std::move(all));
  }

  void audit_submodules(git_repository* repo, const std::string& prefix) {
    std::vector<std::string> names;
    git_submodule_foreach(
        repo,
        [](git_submodule*, const char* name, void* payload) {
          static_cast<std::vector<std::string>*>(payload)->push_back(name);
          return 0;
        },
        &names);
    for (const auto& name : names) {
      git_submodule* raw = nullptr;
      if (git_submodule_lookup(&raw, repo, name.c_str()) < 0) continue;
      Submodule submodule(raw);
      const std::string path = prefix + git_submodule_path(submodule.get());
      git_repository* raw_repo = nullptr;
      if (git_submodule_open(&raw_repo, submodule.get()) < 0) {
        sink_.add_issue({ScanIssue::Kind::incomplete, path,
                            "submodule is not checked out (git submodule update --init): not scanned"});
        continue;
      }
      Repository sub(raw_repo);
      audit(sub.get(), path + "/");
    }
  }

  const Scanner& scanner_;
  ScanSink& sink_;
  const AuditOptions& options_;
  ProblemSink problems_;
  std::function<bool(std::string_view)> excluded_;
};

}  // namespace

void run_audit(const Scanner& scanner, ScanSink& sink, git_repository* repo, const AuditOptions& options) {
  sink.set_item_noun("blobs");
  Auditor auditor(scanner, sink, options);
  auditor.audit(repo, "");
  auditor.finish();
}

}  // namespace sentryscan::git
