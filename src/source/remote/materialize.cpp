#include "source/remote/materialize.h"

#include <fmt/format.h>
#include <git2.h>
#include <stdlib.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <system_error>

#include "core/secret_hash.h"
#include "source/git/handle.h"
#include "source/git/system_certificates.h"

namespace sentryscan::remote {

class OwnedDirectory {
 public:
  explicit OwnedDirectory(std::filesystem::path path) : path_(std::move(path)) {}
  ~OwnedDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  OwnedDirectory(const OwnedDirectory&) = delete;
  OwnedDirectory& operator=(const OwnedDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Keeps the directory: it was renamed into the cache.
  void release() { path_.clear(); }

 private:
  std::filesystem::path path_;
};

LocalClone::LocalClone() = default;
LocalClone::~LocalClone() = default;
LocalClone::LocalClone(LocalClone&&) noexcept = default;
LocalClone& LocalClone::operator=(LocalClone&&) noexcept = default;

namespace {

using Remote = git::Handle<git_remote, git_remote_free>;

// What goes into every clone: branches and tags, as `git clone --bare` takes
// them. Hosting services' other refs (GitHub's refs/pull/*: every fork's
// pull requests) are not this repository's history, and can be many times its size.
constexpr const char* kHeads = "+refs/heads/*:refs/heads/*";
constexpr const char* kTags = "+refs/tags/*:refs/tags/*";

// A clone or fetch failed: its message, already scrubbed of credentials.
struct Failure {
  std::string message;
};

struct CredentialState {
  const RemoteUrl* url = nullptr;
  std::string token;
  int attempts = 0;
};

std::string effective_port(const RemoteUrl& url) {
  if (!url.port.empty()) return url.port;
  switch (url.scheme) {
    case RemoteUrl::Scheme::https: return "443";
    case RemoteUrl::Scheme::http: return "80";
    case RemoteUrl::Scheme::ssh: return "22";
    case RemoteUrl::Scheme::file: return "";
  }
  return "";
}

bool same_server(const RemoteUrl& expected, const char* asked) {
  const std::optional<RemoteUrl> other = parse_remote_url(asked ? asked : "");
  return other && other->scheme == expected.scheme && other->host == expected.host &&
         effective_port(*other) == effective_port(expected);
}

// libgit2 asks after a 401 (https) or when the ssh server wants a key. The
// answer is bound to the host the user named: with redirects off libgit2
// should never ask for another, and if it did it would get nothing.
int provide_credentials(git_credential** out, const char* url, const char* username_from_url, unsigned int allowed,
                        void* payload) {
  auto& state = *static_cast<CredentialState*>(payload);
  const RemoteUrl& expected = *state.url;
  if (!same_server(expected, url)) {
    git_error_set_str(GIT_ERROR_NET, "credentials are only sent to the host named in the URL");
    return GIT_EAUTH;
  }
  // libgit2 asks again each time the server refuses; once is enough to know.
  if (++state.attempts > 1) {
    git_error_set_str(GIT_ERROR_NET, "the server refused the credentials");
    return GIT_EAUTH;
  }
  const std::string user =
      !expected.user.empty() ? expected.user : (username_from_url && *username_from_url ? username_from_url : "");
  if (allowed & GIT_CREDENTIAL_SSH_KEY) return git_credential_ssh_key_from_agent(out, user.empty() ? "git" : user.c_str());
  if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
    if (!expected.password.empty())
      return git_credential_userpass_plaintext_new(out, user.c_str(), expected.password.c_str());
    // An environment token goes over https only: over http it would cross the network readable.
    if (!state.token.empty() && expected.scheme == RemoteUrl::Scheme::https)
      return git_credential_userpass_plaintext_new(out, user.empty() ? "x-access-token" : user.c_str(),
                                                   state.token.c_str());
    if (!user.empty()) return git_credential_userpass_plaintext_new(out, user.c_str(), "");
  }
  if (allowed & GIT_CREDENTIAL_USERNAME) return git_credential_username_new(out, user.empty() ? "git" : user.c_str());
  git_error_set_str(GIT_ERROR_NET, "the server asks for credentials and none were given");
  return GIT_EAUTH;
}

std::optional<Failure> failed(int code, const RemoteUrl& url, std::string_view doing) {
  if (code >= 0) return std::nullopt;
  const git_error* error = git_error_last();
  std::string text = error && error->message ? error->message : fmt::format("error {}", code);
  return Failure{fmt::format("{}: {}", doing, scrub_credentials(std::move(text), url))};
}

std::optional<Failure> fetch(git_repository* repo, const RemoteUrl& url, const std::string& token) {
  git_remote* raw = nullptr;
  if (auto failure = failed(git_remote_create_anonymous(&raw, repo, url.fetch_url.c_str()), url, "cannot use the URL"))
    return failure;
  Remote remote(raw);
  CredentialState state{&url, token, 0};
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  options.callbacks.credentials = provide_credentials;
  options.callbacks.payload = &state;
  options.prune = GIT_FETCH_PRUNE;
  options.update_fetchhead = 0;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;  // kTags takes them all
  // libgit2 follows a redirect to another host on the first request by
  // default (and http.followRedirects may allow more): a server could send
  // the credentials of this URL to a host the user never named.
  options.follow_redirects = GIT_REMOTE_REDIRECT_NONE;
  char* specs[] = {const_cast<char*>(kHeads), const_cast<char*>(kTags)};
  git_strarray refspecs{specs, 2};
  if (auto failure = failed(git_remote_fetch(remote.get(), &refspecs, &options, nullptr), url, "cannot fetch"))
    return failure;
  // HEAD follows the remote's default branch: --remote-config reads its files there.
  git_buf head = GIT_BUF_INIT;
  if (git_remote_default_branch(&head, remote.get()) == 0) git_repository_set_head(repo, head.ptr);
  git_buf_dispose(&head);
  git_error_clear();
  return std::nullopt;
}

// A new bare repository whose config names the remote without credentials.
std::optional<Failure> init_bare(const std::filesystem::path& dir, const RemoteUrl& url, git::Repository& out) {
  git_repository* raw = nullptr;
  if (auto failure = failed(git_repository_init(&raw, dir.c_str(), 1), url, "cannot create the clone"))
    return failure;
  out = git::Repository(raw);
  git_remote* remote = nullptr;
  if (auto failure = failed(git_remote_create_with_fetchspec(&remote, raw, "origin", url.display.c_str(), kHeads), url,
                            "cannot record the remote"))
    return failure;
  git_remote_free(remote);
  return failed(git_remote_add_fetch(raw, "origin", kTags), url, "cannot record the remote");
}

std::optional<std::filesystem::path> make_temp_dir(const std::filesystem::path& parent, const std::string& prefix) {
  std::string pattern = (parent / (prefix + "XXXXXX")).string();
  if (!mkdtemp(pattern.data())) return std::nullopt;
  return std::filesystem::path(pattern);
}

std::filesystem::path temp_root() {
  std::error_code ec;
  std::filesystem::path root = std::filesystem::temp_directory_path(ec);
  return ec ? std::filesystem::path("/tmp") : root;
}

RemoteError error_for(const RemoteUrl& url, const std::string& message) {
  return RemoteError{url.display, message};
}

std::variant<LocalClone, RemoteError> clone_to_temp(const RemoteUrl& url, const RemoteOptions& options) {
  const auto dir = make_temp_dir(temp_root(), "sentryscan-remote-");
  if (!dir) return error_for(url, "cannot create a temporary directory");
  LocalClone clone;
  clone.display_name = url.display;
  clone.normalized = url.normalized;
  clone.owned = std::make_shared<OwnedDirectory>(*dir);
  clone.git_dir = dir->string();
  git::Repository repo;
  if (auto failure = init_bare(*dir, url, repo)) return error_for(url, failure->message);
  if (auto failure = fetch(repo.get(), url, options.https_token)) return error_for(url, failure->message);
  return clone;
}

std::variant<LocalClone, RemoteError> clone_to_cache(const RemoteUrl& url, const RemoteOptions& options) {
  const std::filesystem::path cache = options.cache_dir;
  std::error_code ec;
  std::filesystem::create_directories(cache, ec);
  if (ec) return error_for(url, fmt::format("cannot create the cache directory {}: {}", cache.string(), ec.message()));
  const std::filesystem::path folder = cache / cache_folder_name(url);
  LocalClone clone;
  clone.display_name = url.display;
  clone.normalized = url.normalized;
  clone.git_dir = folder.string();

  if (std::filesystem::exists(folder, ec)) {
    git_repository* raw = nullptr;
    if (git_repository_open_bare(&raw, folder.c_str()) < 0)
      return error_for(url, fmt::format("the cache folder {} is not a bare repository", folder.string()));
    git::Repository repo(raw);
    clone.reused = true;
    if (auto failure = fetch(repo.get(), url, options.https_token)) return error_for(url, failure->message);
    return clone;
  }
  // A first clone is made beside the cache folder and renamed into place once
  // complete, so an interrupted run never leaves a half-made clone to reuse.
  const auto partial = make_temp_dir(cache, cache_folder_name(url) + ".partial-");
  if (!partial) return error_for(url, "cannot create a folder in the cache directory");
  OwnedDirectory cleanup(*partial);
  {
    git::Repository repo;
    if (auto failure = init_bare(*partial, url, repo)) return error_for(url, failure->message);
    if (auto failure = fetch(repo.get(), url, options.https_token)) return error_for(url, failure->message);
  }
  std::filesystem::rename(*partial, folder, ec);
  if (ec) return error_for(url, fmt::format("cannot move the clone into {}: {}", folder.string(), ec.message()));
  cleanup.release();
  return clone;
}

}  // namespace

std::string token_from_environment() {
  const char* token = std::getenv(kTokenVariable);
  return token ? token : "";
}

std::string cache_folder_name(const RemoteUrl& url) {
  // The normalised URL without scheme and user: host[:port]/path.
  std::string_view readable = url.normalized;
  if (const std::size_t scheme = readable.find("://"); scheme != std::string_view::npos)
    readable.remove_prefix(scheme + 3);
  if (const std::size_t at = readable.find('@'); at != std::string_view::npos && at < readable.find_first_of(":/"))
    readable.remove_prefix(at + 1);
  std::string slug;
  for (char c : readable) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
    if (keep) {
      slug.push_back(c);
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
    if (slug.size() >= 48) break;
  }
  while (!slug.empty() && (slug.back() == '-' || slug.back() == '.')) slug.pop_back();
  if (slug.empty() || slug.front() == '.') slug.insert(0, "repo");
  // 64 bits of the hash: distinct for any realistic number of repositories.
  return fmt::format("{}-{}", slug, sha256_hex(url.normalized).substr(0, 16));
}

std::variant<LocalClone, RemoteError> materialize(std::string_view text, const RemoteOptions& options) {
  const std::optional<RemoteUrl> url = parse_remote_url(text);
  if (!url) return RemoteError{display_url(text), "not a URL sentryscan can clone"};
  if (!options.ca_cert.empty()) {
    if (git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, options.ca_cert.c_str(), nullptr) < 0)
      return error_for(*url, fmt::format("cannot use the CA certificates in {}", options.ca_cert));
  } else {
    // A failure leaves no authority to trust: the fetch then fails closed
    // with libgit2's certificate error, as without the deferral.
    git::load_system_certificates();
  }
  return options.cache_dir.empty() ? clone_to_temp(*url, options) : clone_to_cache(*url, options);
}

}  // namespace sentryscan::remote
