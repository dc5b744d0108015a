// json (one array) and jsonl (one object per line) reporters (SPEC 2, Output).
#include "core/secret_hash.h"
#include "report/finding_json.h"
#include "report/group_by_secret.h"
#include "report/report_internal.h"

namespace sentryscan {

namespace {

using ordered_json = nlohmann::ordered_json;

// Empty optional text becomes null so the key set of `dsn` stays fixed and
// `jq '.dsn.org_id // "none"'` works.
ordered_json text_or_null(const std::string& text) { return text.empty() ? ordered_json(nullptr) : ordered_json(text); }

ordered_json source_to_json(const Provenance& source) {
  ordered_json out;
  out["kind"] = to_string(source.kind);
  auto add = [&out](const char* key, const std::string& value) {
    if (!value.empty()) out[key] = value;
  };
  add("commit", source.commit);
  add("author", source.author);
  add("email", source.email);
  add("date", source.date);
  add("message", source.message);
  add("blob", source.blob);
  if (source.other_locations > 0) out["other_locations"] = source.other_locations;
  return out;
}

ordered_json introduction_to_json(const BlobIntroduction& entry) {
  ordered_json out;
  out["commit"] = entry.commit;
  out["author"] = entry.author;
  out["email"] = entry.email;
  out["date"] = entry.date;
  out["message"] = entry.message;
  out["path"] = entry.path;
  return out;
}

}  // namespace

// One secret (--group-by secret): its identity and metadata once, where it
// first entered history, counts, ref tips, and every location in full.
// `fingerprint` stays a top-level key, so such a report still works as a
// --baseline.
ordered_json group_to_ordered_json(const SecretGroup& group, bool show_secrets) {
  const Finding& finding = *group.first;
  ordered_json out;
  out["rule_id"] = finding.rule_id;
  out["severity"] = to_string(finding.severity);
  out["description"] = finding.description;
  out["secret"] = report_detail::shown_secret(finding, show_secrets);
  out["secret_sha256"] = sha256_hex(finding.secret);
  out["fingerprint"] = finding.fingerprint;
  if (!finding.source.repository.empty()) out["repository"] = finding.source.repository;
  if (!group.first_entry.commit.empty()) out["first_seen"] = introduction_to_json(group.first_entry);
  out["counts"] = {{"locations", group.locations.size()},
                   {"blob_versions", group.blob_versions},
                   {"paths", group.paths},
                   {"commits", group.commits}};
  if (group.history_known) {
    out["ref_tips"] = group.ref_tips;
    out["ref_tips_checked"] = group.tips_checked;
    out["ref_tips_total"] = group.tips_total;
    out["in_head"] = group.in_head;
  }
  // The secret's own metadata and validation status, once.
  const ordered_json one = finding_to_ordered_json(finding, show_secrets);
  for (const char* key : {"token", "dsn", "validation"})
    if (one.contains(key)) out[key] = one[key];
  ordered_json locations = ordered_json::array();
  for (const Finding* location : group.locations) locations.push_back(finding_to_ordered_json(*location, show_secrets));
  out["locations"] = std::move(locations);
  return out;
}

ordered_json finding_to_ordered_json(const Finding& finding, bool show_secrets) {
  ordered_json out;
  out["rule_id"] = finding.rule_id;
  out["severity"] = to_string(finding.severity);
  out["description"] = finding.description;
  out["secret"] = report_detail::shown_secret(finding, show_secrets);
  out["secret_sha256"] =
      finding.reported_secret_sha256.empty() ? sha256_hex(finding.secret) : finding.reported_secret_sha256;
  out["fingerprint"] = finding.fingerprint;
  // Only in multi-repository audits, so single-repository reports keep their shape.
  if (!finding.source.repository.empty()) out["repository"] = finding.source.repository;
  out["location"] = {{"path", finding.source.path},
                     {"line", finding.location.line},
                     {"column", finding.location.column},
                     {"end_line", finding.location.end_line},
                     {"end_column", finding.location.end_column}};
  out["source"] = source_to_json(finding.source);
  if (finding.binary) out["binary"] = true;
  if (!finding.decoded.empty()) out["decoded"] = finding.decoded;
  if (finding.token) {
    const TokenInfo& token = *finding.token;
    out["token"] = {{"org", token.org},
                    {"url", token.url ? ordered_json(*token.url) : ordered_json(nullptr)},
                    {"region_url", token.region_url},
                    {"issued_at", token.issued_at}};
  }
  if (finding.dsn) {
    const DsnInfo& dsn = *finding.dsn;
    out["dsn"] = {{"host", dsn.host},
                  {"project_id", dsn.project_id},
                  {"org_id", text_or_null(dsn.org_id)},
                  {"region", text_or_null(dsn.region)},
                  {"saas", dsn.saas}};
  }
  ordered_json validation;
  validation["status"] = to_string(finding.validation.status);
  if (finding.validation.http_status != 0) validation["http_status"] = finding.validation.http_status;
  if (!finding.validation.detail.empty()) validation["detail"] = finding.validation.detail;
  out["validation"] = std::move(validation);
  return out;
}

nlohmann::json finding_to_json(const Finding& finding, bool show_secrets) {
  return nlohmann::json(finding_to_ordered_json(finding, show_secrets));
}

namespace report_detail {

void write_json(std::ostream& out, const Report& report, const ReportOptions& options) {
  ordered_json array = ordered_json::array();
  if (options.group_by_secret) {
    for (const SecretGroup& group : group_by_secret(report.findings))
      array.push_back(group_to_ordered_json(group, options.show_secrets));
    out << dump_json(array, 2) << '\n';
    return;
  }
  for (const auto& finding : report.findings) array.push_back(finding_to_ordered_json(finding, options.show_secrets));
  out << dump_json(array, 2) << '\n';
}

void write_jsonl(std::ostream& out, const Report& report, const ReportOptions& options) {
  if (options.group_by_secret) {
    for (const SecretGroup& group : group_by_secret(report.findings))
      out << dump_json(group_to_ordered_json(group, options.show_secrets)) << '\n';
    return;
  }
  for (const auto& finding : report.findings)
    out << dump_json(finding_to_ordered_json(finding, options.show_secrets)) << '\n';
}

}  // namespace report_detail
}  // namespace sentryscan
