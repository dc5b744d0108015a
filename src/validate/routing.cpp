#include "validate/routing.h"

#include <fmt/format.h>

#include <array>

namespace sentryscan::validate {
namespace {

constexpr std::string_view kValidatePath = "/api/0/auth/validate/";
constexpr std::string_view kApiRootPath = "/api/0/";

RouteDecision skip(std::string reason) { return RouteDecision{std::nullopt, std::move(reason)}; }

// Host (and port when it is not the default) as the user would type it in
// --sentry-url. Comes from the strict parser, so it holds no control characters.
std::string host_label(const BaseUrl& url) {
  const int default_port = url.scheme == "https" ? 443 : 80;
  return url.port == default_port ? url.host : fmt::format("{}:{}", url.host, url.port);
}

RouteDecision send_to(const BaseUrl& base, AuthScheme auth, const RoutingPolicy& policy) {
  if (base.scheme == "http" && !policy.allow_insecure_http)
    return skip(fmt::format("plain http to {} needs --allow-insecure-http", host_label(base)));
  const auto path = auth == AuthScheme::basic_api_key ? kApiRootPath : kValidatePath;
  return RouteDecision{RequestTarget{base.to_string() + std::string(path), base.to_string(), auth}, {}};
}

bool is_saas_region(std::string_view region_url) {
  if (region_url.empty()) return true;
  const auto region = parse_base_url(region_url);
  if (!region) return false;
  static constexpr std::array<std::string_view, 3> kRegions = {"https://sentry.io", "https://us.sentry.io",
                                                               "https://de.sentry.io"};
  for (const auto known : kRegions)
    if (region->same_origin(*parse_base_url(known))) return true;
  return false;
}

RouteDecision route_org_token(const std::optional<TokenInfo>& token, const RoutingPolicy& policy) {
  if (!token) return skip("the token's payload could not be decoded; not sent anywhere");
  if (!token->url) {
    // Old self-hosted installs write null. With a single allowed base the user
    // has said where their install is; with several we would have to guess.
    if (policy.allowed.size() == 1) return send_to(policy.allowed.front(), AuthScheme::bearer, policy);
    return skip("the payload names no Sentry URL (older self-hosted install); allow exactly one with --sentry-url");
  }
  const auto named = parse_base_url(*token->url);
  if (!named) return skip("the payload's url is not a plain http(s) base URL; not sent anywhere");

  if (named->same_origin(*parse_base_url(kSentrySaasUrl))) {
    if (is_saas_region(token->region_url)) return send_to(policy.saas, AuthScheme::bearer, policy);
    const auto region = parse_base_url(token->region_url);
    return skip(region ? fmt::format("the payload names sentry.io with an unexpected region at {}; not sent anywhere",
                                     host_label(*region))
                       : std::string("the payload names sentry.io with a malformed region_url; not sent anywhere"));
  }
  for (const auto& allowed : policy.allowed)
    if (allowed.same_origin(*named)) return send_to(allowed, AuthScheme::bearer, policy);
  return skip(fmt::format("self-hosted at {}; allow it with --sentry-url", host_label(*named)));
}

}  // namespace

RouteDecision route_credential(std::string_view rule_id, const std::optional<TokenInfo>& token,
                               const RoutingPolicy& policy) {
  if (rule_id == "sentry-org-token") return route_org_token(token, policy);
  // Nothing in these tokens says where they were issued, and a token is never
  // tried on two hosts, so they go to the SaaS base only.
  if (rule_id == "sentry-user-token" || rule_id == "sentry-legacy-token" || rule_id == "sentry-integration-token")
    return send_to(policy.saas, AuthScheme::bearer, policy);
  if (rule_id == "sentry-legacy-api-key") return send_to(policy.saas, AuthScheme::basic_api_key, policy);
  if (rule_id == "sentry-dsn" || rule_id == "sentry-dsn-secret")
    return skip("DSNs are not checked: Sentry can only test a client key by sending it an event");
  if (rule_id == "sentry-user-app-secret")
    return skip("OAuth client secrets cannot be checked without their client id");
  return skip("no validation is known for this kind of credential");
}

}  // namespace sentryscan::validate
