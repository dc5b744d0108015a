// A remote repository made into a local bare one that the history audit can
// open: cloned into a cache folder (reused and fetched on the next run) or
// into a temporary directory removed when the LocalClone dies.
//
//   git::Session session;
//   RemoteOptions options{cache_dir, token_from_environment(), ca_cert};
//   auto result = materialize("https://host/org/repo.git", options);
//   if (auto* error = std::get_if<RemoteError>(&result)) report(error->message);   // incomplete: exit 3
//   else git::Repository repo = git::open_repository(std::get<LocalClone>(result).git_dir);
//
// Credentials: the user:password@ of the URL, else for https the token in
// SENTRYSCAN_GIT_TOKEN, else the SSH agent for ssh. They are handed to
// libgit2 only through its credentials callback and only for the host the URL
// names: redirects to another host are never followed, so nothing goes
// off-site. Neither reports, errors nor the clone's config hold them.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "source/remote/remote_url.h"

namespace sentryscan::remote {

inline constexpr const char* kTokenVariable = "SENTRYSCAN_GIT_TOKEN";

struct RemoteOptions {
  std::string cache_dir;    // empty: a temporary directory removed afterwards
  std::string https_token;  // sent as the password over https when the URL holds none; empty: none
  std::string ca_cert;      // PEM file of CAs to trust instead of the system store (--ca-cert); empty: system
};

// $SENTRYSCAN_GIT_TOKEN, or "".
std::string token_from_environment();

class OwnedDirectory;  // removes its directory when it dies

struct LocalClone {
  std::string display_name;  // the URL without credentials, for reports
  std::string normalized;    // RemoteUrl::normalized
  std::string git_dir;       // a bare repository
  bool reused = false;       // an existing cache folder was fetched into, not cloned afresh
  std::shared_ptr<OwnedDirectory> owned;  // the temporary directory when not cached

  LocalClone();
  ~LocalClone();
  LocalClone(LocalClone&&) noexcept;
  LocalClone& operator=(LocalClone&&) noexcept;
};

// The clone or fetch failed. Neither holds a credential (libgit2's text is
// scrubbed); shown as "<display_name>: <message>".
struct RemoteError {
  std::string display_name;  // the URL without credentials
  std::string message;       // "cannot fetch: ..."
};

// Needs a live git::Session. All branches and tags are fetched, pruned and
// forced (a force-pushed branch replaces the cached one); HEAD follows the
// remote's default branch.
std::variant<LocalClone, RemoteError> materialize(std::string_view url, const RemoteOptions& options);

// The cache folder of `url` below `cache_dir`: a readable slug of host and
// path plus a hash of the normalised URL, so every URL has one stable folder.
std::string cache_folder_name(const RemoteUrl& url);

}  // namespace sentryscan::remote
