// Pieces of the html reporter (html.cpp), split out so that unit tests can
// check them one by one: where to revoke a credential, the escaping of the
// embedded data and the Content-Security-Policy hashes. Internal to src/report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "settings/base_url.h"

namespace sentryscan::report_detail {

// The page's stylesheet and script (html_assets.cpp). The CSP allows exactly
// these two by their SHA-256, so neither may be built from report data.
extern const std::string_view kHtmlStyle;
extern const std::string_view kHtmlScript;

struct RevokeLink {
  std::string label;  // e.g. "sentry.io" or the allowed base's host
  std::string url;    // https://sentry.io/... or an allowed base + a fixed path
};

// Where to revoke or rotate a credential: always a sentence saying where to
// go, and links only where the page is known and every part of its URL was
// validated (a base the user allowed or sentry.io, a plain org slug).
struct RevokeAdvice {
  std::string text;
  std::vector<RevokeLink> links;
};

RevokeAdvice revoke_advice(const Finding& finding, const std::vector<validate::BaseUrl>& allowed);

// Sentry's organisation slugs: 1 to 50 characters of a-z, 0-9, '-' and '_',
// starting with a letter or digit, not all digits. Anything else (a payload
// writing "acme/../x", "a\"b", "%2e", upper case) gets no link.
bool plain_slug(std::string_view slug);

// JSON text made safe inside <script type="application/json">: '<', '>' and
// '&' become \u003c, \u003e, \u0026 (so "</script" or "<!--" cannot end or
// change the block), and U+2028/U+2029 become \u2028/\u2029. Valid only on
// the output of a JSON serialiser, where these characters occur in strings.
std::string script_safe_json(std::string_view json);

// "'sha256-<base64>'" of exactly `content`, as a CSP source expression.
std::string csp_hash(std::string_view content);

}  // namespace sentryscan::report_detail
