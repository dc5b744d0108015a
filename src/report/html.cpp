// The html reporter: one self-contained page for the people who must revoke
// what a scan found. The report data is JSON in a <script
// type="application/json"> block; the page's one script (html_assets.cpp)
// renders it with createElement/textContent only, and a Content-Security-Policy
// allows that script and the stylesheet by hash and nothing else: no other
// script, no network request, no inline handler.
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <tuple>

#include "core/base64.h"
#include "core/secret_hash.h"
#include "report/finding_json.h"
#include "report/html_internal.h"
#include "report/report_internal.h"

namespace sentryscan::report_detail {
namespace {

using json = nlohmann::ordered_json;

// One secret in one repository: (repository, rule, fingerprint).
struct SecretGroup {
  const Finding* first = nullptr;  // earliest commit date, then first in report order
  std::vector<std::size_t> findings;
  std::set<std::string> paths, commits, blobs;
  std::uint64_t other_locations = 0;
};

using GroupKey = std::tuple<std::string, std::string, std::string>;

GroupKey key_of(const Finding& f) { return {f.source.repository, f.rule_id, f.fingerprint}; }

// Dates are ISO-8601 UTC from one writer, so text order is time order; a
// finding without a date (a file scan) never counts as earlier.
bool earlier(const Finding& a, const Finding& b) {
  if (a.source.date.empty()) return false;
  return b.source.date.empty() || a.source.date < b.source.date;
}

std::vector<SecretGroup> group_by_secret(const std::vector<Finding>& findings, std::vector<std::size_t>& group_of) {
  std::map<GroupKey, std::size_t> index;
  std::vector<SecretGroup> groups;
  group_of.resize(findings.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    const auto [it, added] = index.try_emplace(key_of(f), groups.size());
    if (added) groups.push_back({&f, {}, {}, {}, {}, 0});
    SecretGroup& g = groups[it->second];
    group_of[i] = it->second;
    g.findings.push_back(i);
    g.paths.insert(f.source.path);
    if (!f.source.commit.empty()) g.commits.insert(f.source.commit);
    if (!f.source.blob.empty()) g.blobs.insert(f.source.blob);
    g.other_locations += f.source.other_locations;
    if (earlier(f, *g.first)) g.first = &f;
  }
  return groups;
}

json where_json(const Finding& f, bool author_email) {
  json out;
  out["path"] = f.source.path;
  out["line"] = f.location.line;
  out["commit"] = f.source.commit;
  out["author"] = f.source.author;
  out["email"] = author_email ? f.source.email : std::string();
  out["date"] = f.source.date;
  out["message"] = f.source.message;
  return out;
}

json group_json(const SecretGroup& g, const Finding& f, const ReportOptions& options) {
  json out;
  out["repository"] = f.source.repository;
  out["rule_id"] = f.rule_id;
  out["severity"] = to_string(f.severity);
  out["description"] = f.description;
  out["secret"] = shown_secret(f, options.show_secrets);
  out["fingerprint"] = f.fingerprint;
  out["status"] = to_string(f.validation.status);
  out["first"] = where_json(*g.first, options.author_email);
  out["locations"] = g.findings.size() + g.other_locations;
  out["paths"] = g.paths.size();
  out["commits"] = g.commits.size();
  out["versions"] = g.blobs.size();
  const RevokeAdvice advice = revoke_advice(f, options.link_bases);
  out["revoke"] = {{"text", advice.text}, {"links", json::array()}};
  for (const auto& link : advice.links) out["revoke"]["links"].push_back({{"label", link.label}, {"url", link.url}});
  return out;
}

json finding_row(const Finding& f, std::size_t group, const ReportOptions& options) {
  json out = where_json(f, options.author_email);
  out["secret_group"] = group;
  out["column"] = f.location.column;
  out["repository"] = f.source.repository;
  out["rule_id"] = f.rule_id;
  out["severity"] = to_string(f.severity);
  out["status"] = to_string(f.validation.status);
  out["status_detail"] = f.validation.detail;
  out["decoded"] = f.decoded;
  out["allowed_inline"] = f.allowed_inline;
  return out;
}

// name -> (distinct secrets, locations), in name order.
json tally(const std::vector<SecretGroup>& groups, const std::vector<Finding>& findings,
           std::string (*name)(const Finding&)) {
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> counts;
  for (const auto& g : groups) {
    auto& entry = counts[name(*g.first)];
    ++entry.first;
    for (std::size_t i : g.findings) entry.second += 1 + findings[i].source.other_locations;
  }
  json out = json::array();
  for (const auto& [key, value] : counts) out.push_back({{"name", key}, {"secrets", value.first}, {"locations", value.second}});
  return out;
}

std::string iso_utc(std::int64_t seconds) {
  if (seconds <= 0) return {};
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!gmtime_r(&time, &tm)) return {};
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

json report_data(const Report& report, const ReportOptions& options) {
  std::vector<std::size_t> group_of;
  const std::vector<SecretGroup> groups = group_by_secret(report.findings, group_of);
  json data;
  data["tool"] = {{"name", "sentryscan"}, {"version", kToolVersion}};
  data["generated_at"] = iso_utc(report.finished_at);
  data["redacted"] = !options.show_secrets;
  data["has_dates"] = std::any_of(report.findings.begin(), report.findings.end(),
                                  [](const Finding& f) { return !f.source.date.empty(); });
  data["summary_line"] = summary_line(report, options);
  data["summary"] = {
      {"by_repository", tally(groups, report.findings, [](const Finding& f) { return f.source.repository; })},
      {"by_rule", tally(groups, report.findings, [](const Finding& f) { return f.rule_id; })},
      {"by_severity", tally(groups, report.findings, [](const Finding& f) { return std::string(to_string(f.severity)); })},
      {"by_status",
       tally(groups, report.findings, [](const Finding& f) { return std::string(to_string(f.validation.status)); })}};
  data["secrets"] = json::array();
  for (const auto& g : groups) data["secrets"].push_back(group_json(g, *g.first, options));
  data["findings"] = json::array();
  for (std::size_t i = 0; i < report.findings.size(); ++i)
    data["findings"].push_back(finding_row(report.findings[i], group_of[i], options));
  data["issues"] = json::array();
  for (const auto& issue : report.issues)
    data["issues"].push_back({{"kind", issue.kind == ScanIssue::Kind::incomplete ? "incomplete" : "warning"},
                              {"where", issue.where},
                              {"message", issue.message}});
  return data;
}

std::string hex_to_bytes(std::string_view hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) bytes.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return bytes;
}

}  // namespace

std::string script_safe_json(std::string_view json_text) {
  std::string out;
  out.reserve(json_text.size() + json_text.size() / 16);
  for (std::size_t i = 0; i < json_text.size(); ++i) {
    const char c = json_text[i];
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else if (c == '\xE2' && i + 2 < json_text.size() && json_text[i + 1] == '\x80' &&
             (json_text[i + 2] == '\xA8' || json_text[i + 2] == '\xA9')) {
      out += json_text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else out += c;
  }
  return out;
}

std::string csp_hash(std::string_view content) {
  return "'sha256-" + base64_encode(hex_to_bytes(sha256_hex(content))) + "'";
}

void write_html(std::ostream& out, const Report& report, const ReportOptions& options) {
  // default-src 'none' also covers connect, img, font, frame and media:
  // the page can fetch nothing. Meta CSPs cannot set frame-ancestors.
  const std::string policy = fmt::format(
      "default-src 'none'; script-src {}; style-src {}; base-uri 'none'; form-action 'none'",
      csp_hash(kHtmlScript), csp_hash(kHtmlStyle));
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << policy << "\">\n"
      << "<meta name=\"referrer\" content=\"no-referrer\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>sentryscan report</title>\n<style>" << kHtmlStyle << "</style>\n</head>\n<body>\n"
      << "<noscript><p>This report renders its data with JavaScript; the data itself is the JSON block in "
         "the page source.</p></noscript>\n"
      << "<main id=\"app\"></main>\n"
      << "<script type=\"application/json\" id=\"sentryscan-data\">"
      << script_safe_json(dump_json(report_data(report, options))) << "</script>\n"
      << "<script>" << kHtmlScript << "</script>\n</body>\n</html>\n";
}

}  // namespace sentryscan::report_detail
