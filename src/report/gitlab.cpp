// GitLab secret-detection report (`artifacts: reports: secret_detection:`),
// written to the published schema, version 15.0.7
// (gitlab-org/security-products/security-report-schemas,
// dist/secret-detection-report-format.json), so findings appear in merge
// request security widgets and the vulnerability report. GitLab refuses a
// report that does not validate, so every field the schema requires is
// always written: top-level version, vulnerabilities and scan (analyzer,
// scanner, type, start/end time, status); per vulnerability id,
// identifiers and location.commit.sha.
// Redacted like every format unless --show-secrets; commit authors' e-mail
// addresses only with --include-author-email.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <set>
#include <string>

#include "core/secret_hash.h"
#include "report/finding_json.h"
#include "report/report_internal.h"

namespace sentryscan::report_detail {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kSchemaVersion = "15.0.7";
constexpr std::string_view kSchemaUrl =
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.0.7/dist/"
    "secret-detection-report-format.json";
// The schema requires a commit for every finding. Files, standard input and
// staged changes have none; GitLab's own analyzer writes this placeholder then.
constexpr std::string_view kNoCommit = "0000000";

std::string_view gitlab_severity(Severity severity) {
  switch (severity) {
    case Severity::critical: return "Critical";
    case Severity::high: return "High";
    case Severity::medium: return "Medium";
    case Severity::low: return "Low";
  }
  return "Unknown";
}

// The schema's time format: UTC "yyyy-mm-ddThh:mm:ss", no zone, no fraction.
std::string utc_time(std::time_t when) {
  std::tm parts{};
  gmtime_r(&when, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  return text;
}

std::string_view report_path(std::string_view path) {
  if (path.starts_with("./")) path.remove_prefix(2);
  return path.empty() ? "-" : path;
}

// A UUID (RFC 9562 version 8: name-based, vendor hash) from SHA-256 over what
// identifies the finding, so the same scan gives the same ids.
std::string uuid_of(std::string_view key) {
  std::string hex = sha256_hex(key).substr(0, 32);
  hex[12] = '8';
  const int variant = std::stoi(std::string(1, hex[16]), nullptr, 16);
  hex[16] = "89ab"[variant & 3];
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4), hex.substr(16, 4),
                     hex.substr(20));
}

// Unique within the report: a second finding with the same key (never
// expected: the collector keeps one per place) gets a counter in its key.
std::string unique_id(const Finding& finding, std::set<std::string>& taken) {
  std::string key = fmt::format("{}\n{}\n{}\n{}\n{}", finding.fingerprint, report_path(finding.source.path),
                                finding.source.commit, finding.location.line, finding.location.column);
  if (!finding.source.repository.empty()) key += "\n" + finding.source.repository;
  std::string id = uuid_of(key);
  for (int n = 2; !taken.insert(id).second; ++n) id = uuid_of(fmt::format("{}\n#{}", key, n));
  return id;
}

ordered_json text_detail(std::string_view name, std::string_view value) {
  return {{"name", name}, {"type", "text"}, {"value", value}};
}

ordered_json details_of(const Finding& finding) {
  ordered_json details = ordered_json::object();
  details["fingerprint"] = text_detail("Fingerprint", finding.fingerprint);
  if (!finding.source.repository.empty())
    details["repository"] = text_detail("Repository", finding.source.repository);
  details["validation"] = text_detail("Validation", to_string(finding.validation.status));
  if (finding.token && !finding.token->org.empty()) details["org"] = text_detail("Organization", finding.token->org);
  if (finding.dsn) details["dsn_host"] = text_detail("DSN host", finding.dsn->host);
  if (!finding.decoded.empty()) {
    std::string chain;
    for (const auto& layer : finding.decoded) chain += (chain.empty() ? "" : " > ") + layer;
    details["decoded"] = text_detail("Found after decoding", chain);
  }
  return details;
}

ordered_json commit_of(const Provenance& source, bool author_email) {
  ordered_json commit;
  if (!source.author.empty() || (author_email && !source.email.empty())) {
    std::string author = source.author;
    if (author_email && !source.email.empty()) author += fmt::format(" <{}>", source.email);
    commit["author"] = author;
  }
  if (!source.date.empty()) commit["date"] = source.date;
  if (!source.message.empty()) commit["message"] = source.message;
  commit["sha"] = source.commit.empty() ? std::string(kNoCommit) : source.commit;
  return commit;
}

ordered_json vulnerability(const Finding& finding, const ReportOptions& options, std::set<std::string>& ids) {
  const std::string secret = shown_secret(finding, options.show_secrets);
  std::string description = fmt::format("{}: `{}` (rule `{}`).", finding.description, secret, finding.rule_id);
  if (finding.validation.status != ValidationStatus::not_checked)
    description += fmt::format(" Validation: {}.", to_string(finding.validation.status));
  if (finding.binary) description += " Found in a binary file.";

  const std::uint64_t start_line = std::max<std::uint64_t>(1, finding.location.line);
  ordered_json location;
  location["file"] = report_path(finding.source.path);
  location["start_line"] = start_line;
  location["end_line"] = std::max(start_line, finding.location.end_line);
  location["commit"] = commit_of(finding.source, options.author_email);

  ordered_json out;
  out["id"] = unique_id(finding, ids);
  out["name"] = finding.description.substr(0, 255);  // the schema's limit; names are short
  out["description"] = description;
  out["severity"] = gitlab_severity(finding.severity);
  out["solution"] = fmt::format(
      "Revoke the credential in Sentry and issue a new one, then remove it from the code (and from history if "
      "it was pushed). If it is not a credential, add `sentryscan:allow` on its line or `{}` to "
      "`.sentryscanignore`.",
      finding.fingerprint);
  out["identifiers"] = ordered_json::array(
      {{{"type", "sentryscan_rule_id"}, {"name", "sentryscan rule " + finding.rule_id}, {"value", finding.rule_id}}});
  out["location"] = std::move(location);
  out["raw_source_code_extract"] = secret;
  out["details"] = details_of(finding);
  return out;
}

ordered_json tool() {
  return {{"id", "sentryscan"},
          {"name", "sentryscan"},
          {"url", kToolUrl},
          {"vendor", {{"name", "sentryscan"}}},
          {"version", kToolVersion}};
}

ordered_json scan_of(const Report& report) {
  const std::time_t end = report.finished_at ? static_cast<std::time_t>(report.finished_at) : std::time(nullptr);
  // A duration no scan has (a clock that jumped, a corrupt value) must not
  // overflow the start time: at most the seconds since the epoch.
  const double elapsed = std::min(std::max(0.0, report.stats.seconds), static_cast<double>(std::max<std::time_t>(end, 0)));
  const auto seconds = static_cast<std::time_t>(std::llround(elapsed));
  bool incomplete = false;
  ordered_json messages = ordered_json::array();
  for (const auto& issue : report.issues) {
    incomplete |= issue.kind == ScanIssue::Kind::incomplete;
    std::string text = issue.where.empty() ? issue.message : fmt::format("{}: {}", issue.where, issue.message);
    if (issue.kind == ScanIssue::Kind::incomplete) text = "incomplete: " + text;
    if (!text.empty()) messages.push_back({{"level", "warn"}, {"value", text}});
  }
  ordered_json scan;
  scan["analyzer"] = tool();
  scan["scanner"] = tool();
  scan["type"] = "secret_detection";
  scan["start_time"] = utc_time(end - seconds);
  scan["end_time"] = utc_time(end);
  // "failure" like SARIF's executionSuccessful: something was not scanned.
  scan["status"] = incomplete ? "failure" : "success";
  if (!messages.empty()) scan["messages"] = std::move(messages);
  return scan;
}

}  // namespace

void write_gitlab(std::ostream& out, const Report& report, const ReportOptions& options) {
  std::set<std::string> ids;
  ordered_json vulnerabilities = ordered_json::array();
  for (const auto& finding : report.findings) vulnerabilities.push_back(vulnerability(finding, options, ids));
  ordered_json document;
  document["version"] = kSchemaVersion;
  document["schema"] = kSchemaUrl;
  document["scan"] = scan_of(report);
  document["vulnerabilities"] = std::move(vulnerabilities);
  out << dump_json(document, 2) << '\n';
}

}  // namespace sentryscan::report_detail
