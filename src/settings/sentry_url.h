// Checking a user-allowed Sentry base URL ([validate] sentry_urls, and the
// CLI's --sentry-url). Tokens are sent there, so it must be unambiguous.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sentryscan {

// nullopt when `url` is an absolute http(s) URL with a host, an optional port
// and path, and no user info, query or fragment; otherwise what is wrong with
// it (the message never quotes the URL, which may carry a credential).
std::optional<std::string> sentry_url_problem(std::string_view url);

}  // namespace sentryscan
