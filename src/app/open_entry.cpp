#include "app/open_entry.h"

#include <variant>

#include "app/remote_target.h"

namespace sentryscan {

OpenedEntry open_entry(const RepositoryEntry& entry, const remote::RemoteOptions& remote_options) {
  OpenedEntry opened;
  if (entry.remote) {
    auto target = open_remote_target(entry.location, remote_options);
    if (auto* error = std::get_if<remote::RemoteError>(&target)) {
      opened.error = error->message;
      return opened;
    }
    auto& remote_target = std::get<RemoteTarget>(target);
    opened.repository = std::move(remote_target.repo);
    opened.keep_alive = std::make_shared<remote::LocalClone>(std::move(remote_target.clone));
    return opened;
  }
  try {
    opened.repository = git::open_repository(entry.location);
  } catch (const git::GitError& e) {
    opened.error = e.what();
  }
  return opened;
}

}  // namespace sentryscan
