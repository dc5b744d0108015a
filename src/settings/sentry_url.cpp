#include "settings/sentry_url.h"

#include <algorithm>
#include <cctype>

namespace sentryscan {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool is_ipv6_char(char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; }

std::optional<std::string> port_problem(std::string_view port) {
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return "port must be a number from 1 to 65535";
  const int value = std::stoi(std::string(port));
  if (value < 1 || value > 65535) return "port must be a number from 1 to 65535";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> sentry_url_problem(std::string_view url) {
  for (const char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return "URL must not contain spaces or control characters";
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "must be an absolute URL starting with https:// (or http://)";
  const std::string_view scheme = url.substr(0, scheme_end);
  if (!iequals(scheme, "https") && !iequals(scheme, "http")) return "URL scheme must be https or http";
  const std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return "URL must not have a query (?) or fragment (#)";
  const std::string_view authority = rest.substr(0, rest.find('/'));
  if (authority.find('@') != std::string_view::npos) return "URL must not contain a user name or password";

  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return "URL has an unterminated IPv6 address";
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return "URL has junk after the IPv6 address";
    if (!after.empty()) {
      has_port = true;
      port = after.substr(1);
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), is_ipv6_char)) return "URL has an invalid IPv6 address";
  } else {
    if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      has_port = true;
    }
    if (host.empty()) return "URL has no host";
    if (!std::all_of(host.begin(), host.end(), is_host_char)) return "URL host contains characters not allowed in a host name";
  }
  if (has_port) return port_problem(port);
  return std::nullopt;
}

}  // namespace sentryscan
