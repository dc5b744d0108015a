// Turning one entry of a multi-repository audit into an opened repository:
// a local path is opened in place, a remote URL is cloned or fetched first
// (source/remote, into --cache-dir or a temporary directory).
//
//   OpenedEntry opened = open_entry(entry, remote_options);
//   if (!opened.repository) report(entry.display, opened.error);
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/repository_list.h"
#include "source/git/handle.h"
#include "source/remote/materialize.h"

namespace sentryscan {

struct OpenedEntry {
  // Declared first so it dies last: a temporary clone's directory goes only
  // after the repository opened in it is closed.
  std::shared_ptr<void> keep_alive;
  std::optional<git::Repository> repository;
  std::string error;  // why it could not be opened (never holds credentials)
};

// Needs a live git::Session.
OpenedEntry open_entry(const RepositoryEntry& entry, const remote::RemoteOptions& remote_options);

}  // namespace sentryscan
