// SARIF 2.1.0 reporter, shaped for GitHub code scanning (SPEC 2, Output).
// Always redacted, even with --show-secrets: SARIF goes to code-scanning UIs
// that every reader of the repository can open (SPEC: "redacted snippet only").
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>

#include "core/secret_hash.h"
#include "report/finding_json.h"
#include "report/report_internal.h"

namespace sentryscan::report_detail {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
// GitHub merges results whose partial fingerprints are equal, so the key
// combines the content fingerprint with the path (SPEC 2): the same secret in
// two files is two alerts. v1 (content only) is no longer written: with both
// keys present, the equal v1 values could still merge them.
constexpr std::string_view kFingerprintKey = "sentryscan/v2";

std::string_view sarif_level(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high: return "error";
    case Severity::medium: return "warning";
    case Severity::low: return "note";
  }
  return "note";
}

// GitHub maps this score to its critical/high/medium/low alert severities.
std::string_view security_severity(Severity severity) {
  switch (severity) {
    case Severity::critical: return "9.5";
    case Severity::high: return "8.0";
    case Severity::medium: return "5.0";
    case Severity::low: return "3.0";
  }
  return "3.0";
}

// "sentry-org-token" -> "SentryOrgToken": SARIF names are identifiers.
std::string rule_name(std::string_view id) {
  std::string out;
  bool capital = true;
  for (char c : id) {
    if (c == '-' || c == '_' || c == '.') {
      capital = true;
      continue;
    }
    out.push_back(capital && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    capital = false;
  }
  return out;
}

struct RuleMeta {
  std::string id;
  std::string description;
  std::string help;
  Severity severity = Severity::low;
};

ordered_json rule_to_json(const RuleMeta& rule) {
  const std::string help = rule.help.empty()
                               ? fmt::format("{}. Rotate the credential in Sentry and remove it from the code.",
                                             rule.description)
                               : rule.help;
  const std::string suppress =
      "To suppress a finding, add `sentryscan:allow` on its line or its fingerprint to `.sentryscanignore`.";
  ordered_json out;
  out["id"] = rule.id;
  out["name"] = rule_name(rule.id);
  out["shortDescription"] = {{"text", rule.description}};
  out["fullDescription"] = {{"text", fmt::format("{} (severity {}).", rule.description, to_string(rule.severity))}};
  out["help"] = {{"text", help + "\n\n" + suppress}, {"markdown", fmt::format("**{}**\n\n{}\n\n{}", rule.description, help, suppress)}};
  out["defaultConfiguration"] = {{"level", sarif_level(rule.severity)}};
  out["properties"] = {{"security-severity", security_severity(rule.severity)},
                       {"tags", ordered_json::array({"security", "secret"})}};
  return out;
}

// Every rule the report knows, then any rule a finding names that the report
// did not list (rules may be null, or a finding may come from elsewhere).
std::vector<RuleMeta> collect_rules(const Report& report) {
  std::vector<RuleMeta> rules;
  if (report.rules)
    for (const auto& rule : *report.rules) rules.push_back({rule.id, rule.description, rule.help, rule.severity});
  for (const auto& finding : report.findings) {
    const bool known = std::any_of(rules.begin(), rules.end(), [&](const RuleMeta& r) { return r.id == finding.rule_id; });
    if (!known) rules.push_back({finding.rule_id, finding.description, "", finding.severity});
  }
  return rules;
}

bool uri_keeps(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  // Unreserved and path-safe sub-delimiters. ':' is encoded so that a first
  // segment such as "c:x" is never read as a URI scheme.
  return std::string_view("-._~/!$&'()*+,;=@").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string percent_encode(std::string_view path) {
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (uri_keeps(c))
      out.push_back(ch);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

// The path as the report names the artifact: no leading "./", "-" for stdin.
std::string_view artifact_path(std::string_view path) {
  if (path.starts_with("./")) path.remove_prefix(2);
  return path.empty() ? "-" : path;
}

// 32 hex of SHA-256 over the content fingerprint, a NUL and the path (a NUL
// cannot occur in either, so no two pairs hash the same input).
std::string path_fingerprint(const Finding& finding) {
  std::string input = finding.fingerprint;
  input.push_back('\0');
  input += artifact_path(finding.source.path);
  // Multi-repository audits: the same secret at the same path of two
  // repositories is two alerts (nothing added for one repository, so v2
  // fingerprints of single-repository runs do not change).
  if (!finding.source.repository.empty()) {
    input.push_back('\0');
    input += finding.source.repository;
  }
  return sha256_hex(input).substr(0, 32);
}

ordered_json artifact_location(std::string_view path) {
  path = artifact_path(path);
  if (path.starts_with('/')) return {{"uri", "file://" + percent_encode(path)}};
  return {{"uri", percent_encode(path)}, {"uriBaseId", "%SRCROOT%"}};
}

ordered_json region_of(const Finding& finding, const std::string& snippet) {
  // SARIF lines and columns are 1-based and the end column is exclusive;
  // Location's end column is inclusive.
  const std::uint64_t start_line = std::max<std::uint64_t>(1, finding.location.line);
  const std::uint64_t start_column = std::max<std::uint64_t>(1, finding.location.column);
  const std::uint64_t end_line = std::max(start_line, finding.location.end_line);
  std::uint64_t end_column = finding.location.end_column + 1;
  if (end_line == start_line) end_column = std::max(end_column, start_column + 1);
  end_column = std::max<std::uint64_t>(2, end_column);
  return {{"startLine", start_line},
          {"startColumn", start_column},
          {"endLine", end_line},
          {"endColumn", end_column},
          {"snippet", {{"text", snippet}}}};
}

ordered_json result_to_json(const Finding& finding, std::size_t rule_index, bool author_email) {
  const std::string secret = shown_secret(finding, false);
  std::string message = fmt::format("{} ({}): {}", finding.description, finding.rule_id, secret);
  if (!finding.source.repository.empty()) message += fmt::format(" in repository {}", finding.source.repository);
  if (finding.validation.status != ValidationStatus::not_checked)
    message += fmt::format(" [validation: {}]", to_string(finding.validation.status));
  if (!finding.source.commit.empty()) message += fmt::format("; introduced in commit {}", short_commit(finding.source.commit));

  // Everything the json report says except the secret and what SARIF already
  // carries in its own fields.
  ordered_json properties = finding_to_ordered_json(finding, false);
  // The content fingerprint stays: it is what .sentryscanignore takes.
  for (const char* key : {"rule_id", "description", "secret", "location"}) properties.erase(key);
  // Alerts are shown to everyone who can read the repository's alerts: an
  // author's e-mail address only when the user asked for it.
  if (!author_email) properties["source"].erase("email");

  ordered_json physical;
  physical["artifactLocation"] = artifact_location(finding.source.path);
  physical["region"] = region_of(finding, secret);

  ordered_json out;
  out["ruleId"] = finding.rule_id;
  out["ruleIndex"] = rule_index;
  out["level"] = sarif_level(finding.severity);
  out["message"] = {{"text", message}};
  out["locations"] = ordered_json::array({{{"physicalLocation", std::move(physical)}}});
  out["partialFingerprints"] = {{kFingerprintKey, path_fingerprint(finding)}};
  out["properties"] = std::move(properties);
  return out;
}

ordered_json invocation_to_json(const Report& report) {
  bool successful = true;
  ordered_json notifications = ordered_json::array();
  for (const auto& issue : report.issues) {
    const bool incomplete = issue.kind == ScanIssue::Kind::incomplete;
    if (incomplete) successful = false;
    const std::string text = issue.where.empty() ? issue.message : fmt::format("{}: {}", issue.where, issue.message);
    notifications.push_back({{"level", incomplete ? "error" : "warning"}, {"message", {{"text", text}}}});
  }
  ordered_json out;
  out["executionSuccessful"] = successful;
  if (!notifications.empty()) out["toolExecutionNotifications"] = std::move(notifications);
  out["properties"] = {{"items_scanned", report.stats.items_scanned},
                       {"item_noun", report.stats.item_noun},
                       {"bytes_scanned", report.stats.bytes_scanned},
                       {"items_skipped", report.stats.items_skipped},
                       {"seconds", report.stats.seconds},
                       {"suppressed",
                        {{"inline", report.suppressed.inline_allow},
                         {"ignore_file", report.suppressed.ignore_file},
                         {"baseline", report.suppressed.baseline}}}};
  // Only in --state runs, so other reports stay as they were.
  if (report.suppressed.earlier_audit > 0) out["properties"]["suppressed"]["earlier_audit"] = report.suppressed.earlier_audit;
  if (!report.stats.note.empty()) out["properties"]["note"] = report.stats.note;
  return out;
}

}  // namespace

void write_sarif(std::ostream& out, const Report& report, const ReportOptions& options) {
  const std::vector<RuleMeta> rules = collect_rules(report);
  std::map<std::string, std::size_t> rule_index;
  ordered_json rules_json = ordered_json::array();
  for (const auto& rule : rules) {
    if (rule_index.contains(rule.id)) continue;  // a rule file may repeat an id; SARIF ids are unique
    rule_index.emplace(rule.id, rules_json.size());
    rules_json.push_back(rule_to_json(rule));
  }

  ordered_json results = ordered_json::array();
  for (const auto& finding : report.findings) results.push_back(result_to_json(finding, rule_index.at(finding.rule_id), options.author_email));

  ordered_json driver;
  driver["name"] = "sentryscan";
  driver["version"] = kToolVersion;
  driver["semanticVersion"] = kToolVersion;
  driver["informationUri"] = kToolUrl;
  driver["rules"] = std::move(rules_json);

  ordered_json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["invocations"] = ordered_json::array({invocation_to_json(report)});
  run["results"] = std::move(results);

  ordered_json sarif;
  sarif["$schema"] = kSchema;
  sarif["version"] = "2.1.0";
  sarif["runs"] = ordered_json::array({std::move(run)});
  out << dump_json(sarif, 2) << '\n';
}

}  // namespace sentryscan::report_detail
