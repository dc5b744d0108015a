// `sentryscan git URL`: a remote repository cloned (source/remote) and the
// settings its audit runs with. h15's many-target runs call the same two.
//
//   auto target = open_remote_target(url, options);          // RemoteError: report, exit 3
//   auto settings = load_remote_settings(args, repo, remote_config);  // nullopt: exit 2
//   int status = run_remote_audit(args, url, options);                // all of it, for one URL
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "settings/settings.h"
#include "source/git/handle.h"
#include "source/remote/materialize.h"

namespace sentryscan {

struct RemoteTarget {
  remote::LocalClone clone;  // declared first: the repository closes before its directory goes
  git::Repository repo;
};

// Clones or fetches `url` (remote::materialize) and opens it. Needs a live git::Session.
std::variant<RemoteTarget, remote::RemoteError> open_remote_target(const std::string& url,
                                                                   const remote::RemoteOptions& options);

// The user's own settings (flags, --config, SENTRYSCAN_CONFIG). The remote
// repository's .sentryscan.toml and .sentryscanignore are written by whoever
// can push to it: they apply only with `remote_config`, as its default
// branch has them; otherwise a note says they were not applied.
std::optional<Settings> load_remote_settings(const LowArgs& args, git_repository* repo, bool remote_config);

struct RemoteAuditOptions {
  std::string cache_dir;       // --cache-dir
  bool remote_config = false;  // --remote-config
  bool all_objects = false;
  bool recurse_submodules = false;  // refused: exit 2
  std::string state_file;           // --state FILE: recorded under the URL's normalised, credential-free text
  bool new_only = false;            // --new-only
};

// `sentryscan git URL`: the history audit of one remote repository; returns
// the exit status. A clone or fetch that fails is the run's issue (exit 3),
// in every report format, without credentials. Needs a live git::Session.
int run_remote_audit(const LowArgs& args, const std::string& url, const RemoteAuditOptions& options);

}  // namespace sentryscan
