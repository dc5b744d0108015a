// Strict parsing of Sentry base URLs, so that where a token may go is decided
// by comparing origins (scheme + host + port), never by string prefixes that
// "https://sentry.io.evil.com" or "https://sentry.io@evil.com" would pass.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sentryscan::validate {

struct BaseUrl {
  std::string scheme;  // "http" or "https", lowercase
  std::string host;    // lowercase reg-name, dotted IPv4, or "[v6]"; no trailing dot
  int port = 0;        // explicit or the scheme's default
  std::string path;    // "" or "/prefix" without a trailing slash

  // "scheme://host:port": what two base URLs must share to be the same place.
  std::string origin() const;
  // The base URL as requests are built from it (default port omitted).
  std::string to_string() const;
  bool same_origin(const BaseUrl& other) const { return origin() == other.origin(); }
};

// Accepts only "http(s)://host[:port][/path]" with no userinfo, query,
// fragment, whitespace, backslash or percent-encoding in the host. Anything
// else (including every trick that hides a second host in the text) is nullopt.
std::optional<BaseUrl> parse_base_url(std::string_view text);

// nullopt when parse_base_url accepts `text`; otherwise what is wrong with it,
// for config and flag errors (never quoting the URL, which may carry a credential).
std::optional<std::string> base_url_problem(std::string_view text);

}  // namespace sentryscan::validate
