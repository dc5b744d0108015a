// Where to revoke a credential, for the html report (html_internal.h).
//
// Pages (Sentry's settings routes, the same on self-hosted installs):
//   org token (sntrys_)          /settings/<org>/auth-tokens/          Settings → Developer Settings → Organization Tokens
//   user token (sntryu_), legacy /settings/account/api/auth-tokens/    User Settings → Personal Tokens
//   OAuth client secret (sntrya_) /settings/account/api/applications/  User Settings → API Applications
//   integration token (sntryi_)  Settings → Developer Settings → Custom Integrations of its organisation (no link: the token names no org)
//   legacy API key               Settings → API Keys of its organisation (no link: the key names no org)
//   DSN                          Project Settings → Client Keys (DSN) of project id N (no link: a DSN names ids, pages take slugs)
// A link is made only from sentry.io or a base the user allowed plus a fixed
// path and, for org tokens, a slug that plain_slug() accepts: the payload's
// `url` and `org` are written by whoever wrote the token's text.
#include <fmt/format.h>

#include <algorithm>

#include "report/html_internal.h"
#include "settings/validation.h"

namespace sentryscan::report_detail {
namespace {

constexpr std::string_view kOrgTokensPage = "Settings → Developer Settings → Organization Tokens";
constexpr std::string_view kPersonalTokensPath = "/settings/account/api/auth-tokens/";
constexpr std::string_view kApplicationsPath = "/settings/account/api/applications/";

std::string host_label(const validate::BaseUrl& url) {
  const int default_port = url.scheme == "https" ? 443 : 80;
  return url.port == default_port ? url.host : fmt::format("{}:{}", url.host, url.port);
}

const validate::BaseUrl& saas_base() {
  static const validate::BaseUrl saas = *validate::parse_base_url(validate::kSentrySaasUrl);
  return saas;
}

RevokeLink link_on(const validate::BaseUrl& base, std::string_view path) {
  return {host_label(base) + base.path, base.to_string() + std::string(path)};
}

// Pages of the user's own account: the same path on sentry.io and on every
// install the user allowed (the credential names none of them).
std::vector<RevokeLink> account_links(std::string_view path, const std::vector<validate::BaseUrl>& allowed) {
  std::vector<RevokeLink> links{link_on(saas_base(), path)};
  for (const auto& base : allowed) links.push_back(link_on(base, path));
  return links;
}

const validate::BaseUrl* allowed_match(const validate::BaseUrl& named, const std::vector<validate::BaseUrl>& allowed) {
  const auto found = std::find_if(allowed.begin(), allowed.end(),
                                  [&](const validate::BaseUrl& base) { return base.same_origin(named); });
  return found == allowed.end() ? nullptr : &*found;
}

RevokeAdvice org_token_advice(const Finding& finding, const std::vector<validate::BaseUrl>& allowed) {
  if (!finding.token)
    return {fmt::format("{} of the organisation that issued it (its payload could not be read).", kOrgTokensPage), {}};
  const TokenInfo& token = *finding.token;
  const bool slug_ok = plain_slug(token.org);
  const std::string org = slug_ok ? fmt::format("of organisation \"{}\"", token.org)
                                  : std::string("of the organisation named in the token (not a plain slug, so no link)");

  const validate::BaseUrl* base = nullptr;
  std::string where;
  if (!token.url) {
    // Older self-hosted installs write null; with one allowed base the user has said where theirs is.
    if (allowed.size() == 1) base = &allowed.front();
    else where = " on the self-hosted install that issued it (the payload names no URL)";
  } else if (const auto named = validate::parse_base_url(*token.url)) {
    if (named->same_origin(saas_base())) base = &saas_base();
    else if (const auto* match = allowed_match(*named, allowed)) base = match;
    else where = fmt::format(" on the Sentry at {} named by the payload, if that install is yours "
                             "(not an allowed base: no link; allow it with --sentry-url)",
                             host_label(*named));
  } else {
    where = " on the install that issued it (the payload's url is not a plain base URL)";
  }
  if (base) where = " on " + host_label(*base) + base->path;

  RevokeAdvice advice{fmt::format("{} {}{}: revoke the token there.", kOrgTokensPage, org, where), {}};
  if (base && slug_ok) advice.links.push_back(link_on(*base, fmt::format("/settings/{}/auth-tokens/", token.org)));
  return advice;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

RevokeAdvice dsn_advice(const Finding& finding) {
  const DsnInfo* dsn = finding.dsn ? &*finding.dsn : nullptr;
  const std::string project = dsn && all_digits(dsn->project_id) ? "project id " + dsn->project_id : "its project";
  std::string where;
  if (dsn && all_digits(dsn->org_id)) where += " in the organisation with id " + dsn->org_id;
  if (dsn && dsn->saas) where += " on sentry.io";
  else if (dsn && !dsn->host.empty()) where += " on the install at " + dsn->host;
  return {fmt::format("Project Settings → Client Keys (DSN) of {}{}: disable or delete this key and give the "
                      "application a new one. A DSN names ids, not the slugs Sentry's pages take, so there is "
                      "no link; search the project id in the organisation's project list.",
                      project, where),
          {}};
}

}  // namespace

bool plain_slug(std::string_view slug) {
  if (slug.empty() || slug.size() > 50) return false;
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(slug.front())) return false;
  if (!std::all_of(slug.begin(), slug.end(), [&](char c) { return lower_or_digit(c) || c == '-' || c == '_'; }))
    return false;
  return !all_digits(slug);
}

RevokeAdvice revoke_advice(const Finding& finding, const std::vector<validate::BaseUrl>& allowed) {
  const std::string_view rule = finding.rule_id;
  if (rule == "sentry-org-token") return org_token_advice(finding, allowed);
  if (rule == "sentry-user-token")
    return {"User Settings → Personal Tokens of the account that created it: revoke the token.",
            account_links(kPersonalTokensPath, allowed)};
  if (rule == "sentry-legacy-token")
    return {"A token without prefix is a personal token from before 2024 (User Settings → Personal Tokens), an "
            "OAuth grant, or an internal integration's token (Settings → Developer Settings → Custom "
            "Integrations of its organisation): revoke it where it was issued.",
            account_links(kPersonalTokensPath, allowed)};
  if (rule == "sentry-user-app-secret")
    return {"User Settings → API Applications of the account that owns the OAuth application: rotate its client "
            "secret.",
            account_links(kApplicationsPath, allowed)};
  if (rule == "sentry-integration-token")
    return {"Settings → Developer Settings → Custom Integrations of the organisation that owns the integration: "
            "open it and remove this token (the token names no organisation, so there is no link).",
            {}};
  if (rule == "sentry-legacy-api-key")
    return {"Settings → API Keys of the organisation that owns it (legacy keys): remove the key (the key names no "
            "organisation, so there is no link).",
            {}};
  if (rule == "sentry-dsn" || rule == "sentry-dsn-secret") return dsn_advice(finding);
  return {"Revoke or rotate it where it was issued.", {}};
}

}  // namespace sentryscan::report_detail
