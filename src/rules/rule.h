// Rules are data (rules/*.toml). This is their in-memory form.
#pragma once

#include <string>
#include <vector>

#include "core/severity.h"

namespace sentryscan {

// The structural check a confirmed candidate must pass (SPEC 1.1-1.3).
enum class RuleCheck {
  none,             // shape alone is enough (prefixed hex tokens)
  org_token,        // base64 JSON payload with `iat`, 43-char secret
  dsn,              // parse and classify a DSN (plain, \/-escaped or percent-encoded)
  sentry_key_param, // sentry_key= only in an X-Sentry-Auth header or a query string
  sentry_context,   // "sentry" named in the file path or nearby text
  sentry_api_context,  // a Sentry API URL nearby (Bearer headers)
  ini_auth_section,    // key inside the [auth] section of a sentry-cli INI file
  not_digest_listing,  // `sentry: <hex>` listings, except under a checksums/sha256/integrity key
};

struct RulePattern {
  std::string prefilter;  // Hyperscan; its match end is the end of the secret
  std::string confirm;    // RE2; must hold a group named `secret`; implicitly anchored at the end
  std::size_t window = 512;  // bytes before the end that RE2 may look at
  RuleCheck check = RuleCheck::none;  // defaults to the rule's check
  std::size_t line = 0;      // in the rule file, for error messages
};

struct RuleExample {
  std::string text;
  std::string secret;  // expected exact secret span (examples only)
  std::string path;    // pretend file path, for path-dependent contexts
  std::size_t line = 0;  // in the rule file, so a failing example can be found
};

struct Rule {
  std::string id;
  std::string description;
  std::string help;  // how to rotate / what it is, shown in SARIF and text reports
  Severity severity = Severity::low;
  RuleCheck check = RuleCheck::none;  // default for patterns that name none
  // Characters that may not touch the secret on the right (the token's own
  // alphabet); the left side never accepts an ASCII letter or digit.
  std::string token_chars = "A-Za-z0-9";
  // Bare hex without a prefix (SPEC 1.3): never in lockfiles, never a
  // placeholder-looking value.
  bool unprefixed = false;
  std::vector<RulePattern> patterns;
  std::vector<RuleExample> examples;
  std::vector<RuleExample> counter_examples;
  std::string origin;  // file the rule came from
  bool builtin = false;  // one of rules/*.toml, compiled into the binary (default_rules)
};

}  // namespace sentryscan
