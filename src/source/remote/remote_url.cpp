#include "source/remote/remote_url.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/hex.h"

namespace sentryscan::remote {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool starts_with_icase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && lower(text.substr(0, prefix.size())) == prefix;
}

// user:password@ may be percent-encoded (a password holding '@' or ':').
std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

bool valid_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    return std::all_of(host.begin() + 1, host.end() - 1,
                       [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; });
  return !host.empty() && std::all_of(host.begin(), host.end(), is_host_char);
}

const char* scheme_text(RemoteUrl::Scheme scheme) {
  switch (scheme) {
    case RemoteUrl::Scheme::https: return "https";
    case RemoteUrl::Scheme::http: return "http";
    case RemoteUrl::Scheme::ssh: return "ssh";
    case RemoteUrl::Scheme::file: return "file";
  }
  return "";
}

bool default_port(RemoteUrl::Scheme scheme, std::string_view port) {
  return (scheme == RemoteUrl::Scheme::https && port == "443") || (scheme == RemoteUrl::Scheme::http && port == "80") ||
         (scheme == RemoteUrl::Scheme::ssh && port == "22");
}

void split_query(RemoteUrl& url) {
  const std::size_t at = url.path.find_first_of("?#");
  if (at == std::string::npos) return;
  url.query = url.path.substr(at);
  url.path.resize(at);
}

std::string normalize(const RemoteUrl& url) {
  std::string path = url.path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.size() > 4 && path.ends_with(".git")) path.resize(path.size() - 4);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const std::string user = url.scheme == RemoteUrl::Scheme::ssh && !url.user.empty() ? url.user + "@" : "";
  if (url.scp_like) return fmt::format("{}{}:{}", user, url.host, path);
  const std::string port = url.port.empty() || default_port(url.scheme, url.port) ? "" : ":" + url.port;
  return fmt::format("{}://{}{}{}{}", scheme_text(url.scheme), user, url.host, port, path);
}

void finish(RemoteUrl& url) {
  // The ssh user name is who to log in as, not a secret; an https user may be a token.
  const bool keep_user = url.scheme == RemoteUrl::Scheme::ssh && !url.user.empty();
  const std::string user = keep_user ? url.user + "@" : "";
  if (url.scp_like) {
    url.display = fmt::format("{}{}:{}", user, url.host, url.path);
    url.fetch_url = url.display;
  } else {
    const std::string port = url.port.empty() ? "" : ":" + url.port;
    url.display = fmt::format("{}://{}{}{}{}", scheme_text(url.scheme), user, url.host, port, url.path);
    url.fetch_url = url.display + url.query;
  }
  url.normalized = normalize(url);
}

std::optional<RemoteUrl> parse_scp_like(std::string_view target) {
  const std::size_t colon = target.find(':');
  const std::size_t at = target.rfind('@', colon);
  if (colon == std::string_view::npos || at == std::string_view::npos) return std::nullopt;
  RemoteUrl url;
  url.scheme = RemoteUrl::Scheme::ssh;
  url.scp_like = true;
  url.user = std::string(target.substr(0, at));
  url.host = lower(target.substr(at + 1, colon - at - 1));
  url.path = std::string(target.substr(colon + 1));
  if (url.user.empty() || !valid_host(url.host) || url.path.empty()) return std::nullopt;
  split_query(url);
  finish(url);
  return url;
}

}  // namespace

bool is_remote_url(std::string_view target) {
  for (const char* prefix : {"https://", "http://", "ssh://", "file://"})
    if (starts_with_icase(target, prefix)) return true;
  const std::size_t colon = target.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view before = target.substr(0, colon);
  if (before.find('/') != std::string_view::npos || before.find('@') == std::string_view::npos) return false;
  std::error_code ec;
  return !std::filesystem::exists(std::filesystem::path(std::string(target)), ec);
}

std::optional<RemoteUrl> parse_remote_url(std::string_view target) {
  if (!is_remote_url(target)) return std::nullopt;
  const std::size_t sep = target.find("://");
  if (sep == std::string_view::npos) return parse_scp_like(target);

  RemoteUrl url;
  const std::string scheme = lower(target.substr(0, sep));
  url.scheme = scheme == "https"  ? RemoteUrl::Scheme::https
               : scheme == "http" ? RemoteUrl::Scheme::http
               : scheme == "ssh"  ? RemoteUrl::Scheme::ssh
                                  : RemoteUrl::Scheme::file;
  const std::string_view rest = target.substr(sep + 3);
  const std::size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  url.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));

  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    url.user = percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) url.password = percent_decode(userinfo.substr(colon + 1));
    authority = authority.substr(at + 1);
  }
  std::string_view host = authority;
  if (const std::size_t colon = authority.rfind(':');
      colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    host = authority.substr(0, colon);
    url.port = std::string(authority.substr(colon + 1));
    if (url.port.empty() || !std::all_of(url.port.begin(), url.port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
  }
  url.host = lower(host);
  split_query(url);
  if (url.scheme == RemoteUrl::Scheme::file) {
    // file:///path or file://localhost/path: the repository is on this machine.
    if (!url.host.empty() && url.host != "localhost") return std::nullopt;
    if (!url.user.empty() || !url.port.empty() || url.path.empty()) return std::nullopt;
    url.host.clear();
  } else if (!valid_host(url.host) || url.path.empty() || url.path == "/") {
    return std::nullopt;
  }
  finish(url);
  return url;
}

std::string display_url(std::string_view url) {
  if (auto parsed = parse_remote_url(url)) return parsed->display;
  return "<a remote URL that does not parse>";
}

std::string scrub_credentials(std::string text, const RemoteUrl& url) {
  const bool user_is_secret = url.scheme != RemoteUrl::Scheme::ssh;
  for (const std::string& secret : {url.password, user_is_secret ? url.user : std::string(), url.query}) {
    if (secret.empty()) continue;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3))
      text.replace(at, secret.size(), "***");
  }
  return text;
}

}  // namespace sentryscan::remote
