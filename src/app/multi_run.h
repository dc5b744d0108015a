// The front ends of an organisation audit: `sentryscan git A B…` /
// `--repos FILE` / `--shard I/N` (many repositories in one run, with a
// sidecar manifest) and `sentryscan merge REPORT…` (shards back into one
// report). The CLI parses flags into these requests; everything else is here.
//
//   int status = run_multi_audit(args, MultiAuditRequest{{"a", "b"}, "", std::nullopt, false, false});
//   int merged = run_merge(args, {"shard-0.jsonl", "shard-1.jsonl"});
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/repository_list.h"
#include "settings/low_args.h"

namespace sentryscan {

struct MultiAuditRequest {
  std::vector<std::string> targets;  // from the command line, relative to the current directory
  std::string repos_file;            // --repos FILE; empty: none
  std::optional<ShardSpec> shard;    // --shard I/N
  bool all_objects = false;
  bool recurse_submodules = false;  // never for remote entries: their submodule URLs are attacker-written
  std::string cache_dir;            // --cache-dir for remote entries; empty: temporary clones
  bool libgit2_reader = false;      // hidden --object-reader libgit2
  std::string state_file;           // --state FILE; empty: none
  bool new_only = false;            // --new-only
};

// Exit status of the run (SPEC 2). Writes REPORT.manifest.json next to a
// json/jsonl report file; --shard needs one.
int run_multi_audit(const LowArgs& args, const MultiAuditRequest& request);

// Exit status one run over the whole list would have had, re-judged with the
// merge's --fail-on; 3 when a shard is missing, given twice, incomplete, or
// from another list or other settings; 2 only for the merge's own flags and
// an unwritable report.
int run_merge(const LowArgs& args, const std::vector<std::string>& reports);

}  // namespace sentryscan
