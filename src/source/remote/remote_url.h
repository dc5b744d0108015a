// Remote repository URLs as the user names them: which targets are remote,
// and the forms of a URL that may be shown, stored or hashed (never holding
// the credentials a user may have written into it).
//
//   if (is_remote_url(target)) {
//     std::optional<RemoteUrl> url = parse_remote_url(target);  // nullopt: not a URL we can clone
//     print("{}", url->display);                               // https://host/org/repo.git
//   }
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sentryscan::remote {

struct RemoteUrl {
  enum class Scheme { https, http, ssh, file };
  Scheme scheme = Scheme::https;
  bool scp_like = false;  // user@host:path, ssh's short form
  std::string user;       // may be a token (https://TOKEN@host/...): never shown
  std::string password;   // never shown
  std::string host;       // lower case; [v6] keeps its brackets
  std::string port;       // as written; empty: the scheme's default
  std::string path;       // starts with '/' except for the scp-like form
  std::string query;      // "?..." and "#..." as written: may hold a token, never shown

  // What libgit2 connects to: no user:password@ (credentials go through the
  // credentials callback, bound to `host`), the ssh user kept.
  std::string fetch_url;
  // What reports, errors, state files and a cached clone's config hold: no
  // credentials, no query. The ssh user name (git@) is kept: it is not a secret.
  std::string display;
  // `display` with scheme and host in lower case, the default port, trailing
  // slashes and ".git" dropped: one text per repository, for cache folders
  // and shard hashes.
  std::string normalized;
};

// True for https://, http://, ssh://, file:// and the scp-like user@host:path
// (a colon before any slash, and an '@' before the colon, so that a local
// directory named "a:b" stays a path).
bool is_remote_url(std::string_view target);

// nullopt when `target` is not a remote URL or does not parse (no host...).
std::optional<RemoteUrl> parse_remote_url(std::string_view target);

// `url` without credentials or query; for a text that does not parse as a
// URL, a placeholder that still names no secret.
std::string display_url(std::string_view url);

// `text` (a libgit2 message, which may echo what it was given) with every
// credential of `url` replaced by "***".
std::string scrub_credentials(std::string text, const RemoteUrl& url);

}  // namespace sentryscan::remote
