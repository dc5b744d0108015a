// Where a credential may be sent (SPEC 3.3). A pure function of the rule id,
// the decoded payload and what the user allowed: the `sntrys_` payload is
// attacker-controlled text, so it may only *select* one of the bases the user
// (or the SaaS default) supplied, never supply a URL itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "settings/validation.h"

namespace sentryscan::validate {

enum class AuthScheme { bearer, basic_api_key };

struct RequestTarget {
  std::string url;   // the full request URL
  std::string base;  // the base it was built from (cache key, messages)
  AuthScheme auth = AuthScheme::bearer;
};

struct RouteDecision {
  std::optional<RequestTarget> target;
  std::string skip_reason;  // set when there is no target
};


RouteDecision route_credential(std::string_view rule_id, const std::optional<TokenInfo>& token,
                               const RoutingPolicy& policy);

}  // namespace sentryscan::validate
