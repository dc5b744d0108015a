#include "validate/stdin_credentials.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/secret_hash.h"
#include "core/terminal_text.h"
#include "match/checks.h"

namespace sentryscan::validate {
namespace {

bool is_hex(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c); });
}

bool prefixed_hex(std::string_view text, std::string_view prefix) {
  return text.starts_with(prefix) && text.size() == prefix.size() + 64 && is_hex(text.substr(prefix.size()));
}

std::string shown(const std::string& secret, bool show_secrets) { return show_secrets ? secret : redact(secret); }

// Payload text (the org slug) is attacker-controlled: no escape sequences reach the terminal.
std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

// Skipped because no check exists for the kind, not because of a setting.
bool skipped_by_design(const std::string& rule_id) {
  return rule_id == "sentry-dsn" || rule_id == "sentry-dsn-secret" || rule_id == "sentry-user-app-secret";
}

}  // namespace

std::vector<std::string> read_credential_lines(std::istream& in) {
  std::vector<std::string> lines;
  std::unordered_set<std::string> seen;
  std::string line;
  while (std::getline(in, line)) {
    std::string_view text = line;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.empty()) continue;
    if (seen.emplace(text).second) lines.emplace_back(text);
  }
  return lines;
}

Credential classify_credential(std::string_view text) {
  Credential credential{std::string(kUnrecognized), std::string(text), std::nullopt};
  if (text.starts_with("sntrys_")) {
    if (auto token = decode_org_token(text)) {
      credential.rule_id = "sentry-org-token";
      credential.token = std::move(token);
    }
  } else if (prefixed_hex(text, "sntryu_")) {
    credential.rule_id = "sentry-user-token";
  } else if (prefixed_hex(text, "sntrya_")) {
    credential.rule_id = "sentry-user-app-secret";
  } else if (prefixed_hex(text, "sntryi_")) {
    credential.rule_id = "sentry-integration-token";
  } else if (text.size() == 64 && is_hex(text)) {
    credential.rule_id = "sentry-legacy-token";
  } else if (text.size() == 32 && is_hex(text)) {
    credential.rule_id = "sentry-legacy-api-key";
  } else if (const auto dsn = parse_dsn(text)) {
    credential.rule_id = dsn->has_secret ? "sentry-dsn-secret" : "sentry-dsn";
  }
  return credential;
}

std::vector<CheckedCredential> check_lines(const std::vector<std::string>& lines, const ValidationSettings& settings,
                                           std::vector<ScanIssue>& issues) {
  std::vector<CheckedCredential> checked;
  std::vector<Credential> to_check;
  for (const auto& line : lines) {
    Credential credential = classify_credential(line);
    if (credential.rule_id != kUnrecognized) to_check.push_back(credential);
    checked.push_back(CheckedCredential{std::move(credential), {}});
  }
  const auto results = check_credentials(to_check, settings, issues);
  std::size_t next = 0;
  for (auto& entry : checked) {
    if (entry.credential.rule_id == kUnrecognized)
      entry.validation = Validation{ValidationStatus::skipped, 0, "not a recognised Sentry credential; not sent anywhere"};
    else
      entry.validation = results[next++];
  }
  return checked;
}

void write_checked_text(std::ostream& out, const std::vector<CheckedCredential>& checked, bool show_secrets) {
  for (const auto& entry : checked) {
    const auto& v = entry.validation;
    std::string line = fmt::format("{}  {}  {}", shown(entry.credential.secret, show_secrets),
                                   entry.credential.rule_id, to_string(v.status));
    if (v.http_status != 0) line += fmt::format(" (HTTP {})", v.http_status);
    if (!v.detail.empty()) line += ": " + escape_control(v.detail);  // may quote a payload host
    if (entry.credential.token && !entry.credential.token->org.empty())
      line += fmt::format("  [org {}]", printable(entry.credential.token->org));
    out << line << '\n';
  }
}

void write_checked_json(std::ostream& out, const std::vector<CheckedCredential>& checked, bool show_secrets) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& entry : checked) {
    const auto& v = entry.validation;
    nlohmann::json validation = {{"status", std::string(to_string(v.status))}, {"detail", v.detail}};
    if (v.http_status != 0) validation["http_status"] = v.http_status;
    nlohmann::json object = {{"rule_id", entry.credential.rule_id},
                             {"secret", shown(entry.credential.secret, show_secrets)},
                             {"secret_sha256", sha256_hex(entry.credential.secret)},
                             {"validation", validation}};
    if (const auto& token = entry.credential.token) {
      object["token"] = {{"org", token->org},
                         {"url", token->url ? nlohmann::json(*token->url) : nlohmann::json(nullptr)},
                         {"region_url", token->region_url},
                         {"issued_at", token->issued_at}};
    }
    array.push_back(std::move(object));
  }
  // Payload text is attacker-controlled: replace invalid UTF-8 rather than throw.
  out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

int checked_exit_code(const std::vector<CheckedCredential>& checked) {
  bool undetermined = false;
  for (const auto& entry : checked) {
    const auto status = entry.validation.status;
    if (status == ValidationStatus::live) return 1;
    if (status == ValidationStatus::unknown) undetermined = true;
    if (status == ValidationStatus::skipped && !skipped_by_design(entry.credential.rule_id)) undetermined = true;
  }
  return undetermined ? 3 : 0;
}

}  // namespace sentryscan::validate
