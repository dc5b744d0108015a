#include "settings/base_url.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace sentryscan::validate {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_reg_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label = 0;
  for (const char c : host) {
    if (c == '.') {
      if (label == 0) return false;  // empty label: "a..b", ".a"
      label = 0;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;  // '_' occurs in internal names
    if (++label > 63) return false;
  }
  return label > 0;
}

bool is_ipv6_literal(std::string_view host) {
  if (host.size() < 4 || host.front() != '[' || host.back() != ']') return false;
  const auto inner = host.substr(1, host.size() - 2);
  return std::all_of(inner.begin(), inner.end(),
                     [](unsigned char c) { return std::isxdigit(c) || c == ':' || c == '.'; }) &&
         inner.find(':') != std::string_view::npos;
}

// RFC 3986 pchar plus '/', minus '%' so no encoded tricks survive.
bool is_path_char(unsigned char c) {
  return std::isalnum(c) || std::string_view("-._~!$&'()*+,;=:@/").find(static_cast<char>(c)) != std::string_view::npos;
}

std::optional<int> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  int port = 0;
  for (const char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

}  // namespace

std::string BaseUrl::origin() const { return fmt::format("{}://{}:{}", scheme, host, port); }

std::string BaseUrl::to_string() const {
  const int default_port = scheme == "https" ? 443 : 80;
  if (port == default_port) return fmt::format("{}://{}{}", scheme, host, path);
  return fmt::format("{}://{}:{}{}", scheme, host, port, path);
}

namespace {

// The one parser of Sentry base URLs: `why` says what is wrong, for config
// and flag errors (it never quotes the URL, which may carry a credential).
std::optional<BaseUrl> parse(std::string_view text, std::string& why) {
  auto fail = [&](const char* reason) -> std::optional<BaseUrl> {
    why = reason;
    return std::nullopt;
  };
  for (const char c : text)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return fail("URL must not contain spaces or control characters");
  BaseUrl url;
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return fail("must be an absolute URL starting with https:// (or http://)");
  url.scheme = lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") return fail("URL scheme must be https or http");
  const auto rest = text.substr(sep + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return fail("URL must not have a query (?) or fragment (#)");

  const auto authority_end = rest.find('/');
  const auto authority = rest.substr(0, authority_end);
  const auto path = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

  // Userinfo is how "https://sentry.io@evil.com" points at evil.com; reject it
  // outright rather than parse it, as is every character a host never needs.
  if (authority.find('@') != std::string_view::npos) return fail("URL must not contain a user name or password");
  for (const char c : authority) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x7f || c == '\\' || c == '%') return fail("URL host contains characters not allowed in a host name");
  }
  for (const char c : path)
    if (!is_path_char(static_cast<unsigned char>(c))) return fail("URL path contains characters not allowed in a base URL");

  std::string_view host = authority;
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("URL has an unterminated IPv6 address");
    host = authority.substr(0, close + 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("URL has junk after the IPv6 address");
      port_text = after.substr(1);
      has_port = true;
    }
    if (!is_ipv6_literal(host)) return fail("URL has an invalid IPv6 address");
  } else {
    const auto colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
    if (host.empty()) return fail("URL has no host");
    if (host.back() == '.') host.remove_suffix(1);  // "sentry.io." is sentry.io
    if (!is_reg_name(host)) return fail("URL host contains characters not allowed in a host name");
  }
  url.host = lower(host);

  if (has_port) {
    const auto port = parse_port(port_text);
    if (!port) return fail("port must be a number from 1 to 65535");
    url.port = *port;
  } else {
    url.port = url.scheme == "https" ? 443 : 80;
  }

  std::string normalized_path(path);
  while (!normalized_path.empty() && normalized_path.back() == '/') normalized_path.pop_back();
  url.path = normalized_path;
  return url;
}

}  // namespace

std::optional<BaseUrl> parse_base_url(std::string_view text) {
  std::string why;
  return parse(text, why);
}

std::optional<std::string> base_url_problem(std::string_view text) {
  std::string why;
  if (parse(text, why)) return std::nullopt;
  return why;
}

}  // namespace sentryscan::validate
