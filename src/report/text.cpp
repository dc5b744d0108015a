// Text reporter: one block per finding, then scan issues, then one summary
// line (SPEC 2, Output). Colour only when the CLI says stdout is a terminal.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "report/group_by_secret.h"
#include "report/report_internal.h"

namespace sentryscan::report_detail {

namespace {

constexpr std::string_view kReset = "\x1b[0m";

std::string_view severity_colour(Severity severity) {
  switch (severity) {
    case Severity::critical: return "\x1b[1;31m";  // bold red
    case Severity::high: return "\x1b[31m";
    case Severity::medium: return "\x1b[33m";
    case Severity::low: return "\x1b[36m";
  }
  return "";
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string paint(std::string_view text, std::string_view colour, bool enabled) {
  if (!enabled) return std::string(text);
  return fmt::format("{}{}{}", colour, text, kReset);
}

// "  label:    value" with values aligned in one column; an empty label
// continues the field above.
void field(std::ostream& out, std::string_view label, std::string_view value) {
  out << fmt::format("  {:<12}{}\n", label.empty() ? std::string() : fmt::format("{}:", label), value);
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

std::string location_text(const Finding& finding) {
  const std::string path = finding.source.path.empty() ? std::string("(stdin)") : terminal_safe(finding.source.path);
  if (finding.location.line == 0) return path;
  // A credential written across lines (a split string literal, wrapped base64).
  if (finding.location.end_line > finding.location.line)
    return fmt::format("{}:{}:{} to line {}", path, finding.location.line, finding.location.column,
                       finding.location.end_line);
  return fmt::format("{}:{}:{}", path, finding.location.line, finding.location.column);
}

std::string token_text(const TokenInfo& token) {
  std::vector<std::string> parts;
  if (!token.org.empty()) parts.push_back("org " + terminal_safe(token.org));
  parts.push_back("url " + (token.url ? terminal_safe(*token.url) : std::string("null (self-hosted)")));
  if (!token.region_url.empty()) parts.push_back("region " + terminal_safe(token.region_url));
  if (!token.issued_at.empty()) parts.push_back("issued " + terminal_safe(token.issued_at));
  return join(parts, ", ");
}

std::string dsn_text(const DsnInfo& dsn) {
  std::vector<std::string> parts;
  parts.push_back("host " + terminal_safe(dsn.host));
  if (!dsn.project_id.empty()) parts.push_back("project " + terminal_safe(dsn.project_id));
  if (!dsn.org_id.empty()) parts.push_back("org id " + terminal_safe(dsn.org_id));
  if (!dsn.region.empty()) parts.push_back("region " + terminal_safe(dsn.region));
  parts.push_back(dsn.saas ? "sentry.io (SaaS)" : "self-hosted");
  return join(parts, ", ");
}

std::string validation_text(const Validation& validation, bool colour) {
  std::string status(to_string(validation.status));
  if (validation.status == ValidationStatus::live) status = paint("LIVE", "\x1b[1;31m", colour) + " (rotate it now)";
  std::vector<std::string> extra;
  if (validation.http_status != 0) extra.push_back(fmt::format("HTTP {}", validation.http_status));
  if (!validation.detail.empty()) extra.push_back(terminal_safe(validation.detail));
  if (!extra.empty()) status += fmt::format(" [{}]", join(extra, ", "));
  return status;
}

void write_finding(std::ostream& out, const Finding& finding, const ReportOptions& options) {
  const std::string severity = fmt::format("{:<8}", upper(to_string(finding.severity)));
  out << paint(severity, severity_colour(finding.severity), options.color) << "  " << terminal_safe(finding.rule_id)
      << "  " << terminal_safe(finding.description) << '\n';
  const Provenance& source = finding.source;
  if (!source.repository.empty()) field(out, "repository", terminal_safe(source.repository));
  field(out, "location", location_text(finding));

  if (!source.commit.empty()) {
    std::string commit = short_commit(source.commit);
    if (!source.date.empty()) commit += "  " + terminal_safe(source.date);
    if (!source.author.empty() || !source.email.empty())
      commit += fmt::format("  {} <{}>", terminal_safe(source.author), terminal_safe(source.email));
    field(out, "commit", commit);
    if (!source.message.empty()) field(out, "summary", terminal_safe(source.message));
  } else if (source.kind == SourceKind::staged) {
    field(out, "source", "staged (index)");
  }
  if (source.other_locations > 0)
    field(out, "also in", fmt::format("{} other place{} in history", source.other_locations,
                                      source.other_locations == 1 ? "" : "s"));

  field(out, "secret", terminal_safe(shown_secret(finding, options.show_secrets)));
  if (finding.token) field(out, "token", token_text(*finding.token));
  if (finding.dsn) field(out, "dsn", dsn_text(*finding.dsn));
  if (finding.validation.status != ValidationStatus::not_checked)
    field(out, "validation", validation_text(finding.validation, options.color));
  if (finding.binary) field(out, "binary", "binary file");
  if (!finding.decoded.empty()) field(out, "decoded", "found after decoding " + terminal_safe(join(finding.decoded, " > ")));
  field(out, "suppress",
        fmt::format("add \"sentryscan:allow\" on {}, or add {} to .sentryscanignore",
                    finding.location.end_line > finding.location.line ? "one of those lines" : "that line",
                    terminal_safe(finding.fingerprint)));
  out << '\n';
}

// Locations and ref tips listed under a secret in the grouped view; the rest
// are counted (a DSN of sentry-javascript is in 1,423 of its tips).
constexpr std::size_t kListedLocations = 5;
constexpr std::size_t kListedTips = 10;

std::string plural(std::uint64_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

std::string tips_text(const SecretGroup& group) {
  std::string text;
  if (group.ref_tips.empty()) text = "none (only history that no ref tip holds)";
  for (std::size_t i = 0; i < group.ref_tips.size() && i < kListedTips; ++i)
    text += (i == 0 ? "" : ", ") + terminal_safe(group.ref_tips[i]);
  if (group.ref_tips.size() > kListedTips) text += fmt::format(" and {} more", group.ref_tips.size() - kListedTips);
  if (group.tips_checked < group.tips_total)
    text += fmt::format(" (looked at {} of {} refs)", group.tips_checked, group.tips_total);
  return text;
}

// One secret: where it entered history, how widely it spread, which tips
// still hold it, and what to do about it.
void write_group(std::ostream& out, const SecretGroup& group, const ReportOptions& options) {
  const Finding& finding = *group.first;
  const std::string severity = fmt::format("{:<8}", upper(to_string(finding.severity)));
  out << paint(severity, severity_colour(finding.severity), options.color) << "  " << terminal_safe(finding.rule_id)
      << "  " << terminal_safe(finding.description) << '\n';
  field(out, "secret", terminal_safe(shown_secret(finding, options.show_secrets)));
  const BlobIntroduction& entry = group.first_entry;
  if (!entry.commit.empty()) {
    std::string commit = short_commit(entry.commit);
    if (!entry.date.empty()) commit += "  " + terminal_safe(entry.date);
    if (!entry.author.empty() || !entry.email.empty())
      commit += fmt::format("  {} <{}>", terminal_safe(entry.author), terminal_safe(entry.email));
    field(out, "first seen", commit);
    if (!entry.message.empty()) field(out, "summary", terminal_safe(entry.message));
    field(out, "path", terminal_safe(entry.path));
  }
  if (group.history_known) {
    field(out, "history", fmt::format("{}, {}, {} ({})", plural(group.blob_versions, "blob version"),
                                      plural(group.paths, "path"), plural(group.commits, "commit"),
                                      plural(group.locations.size(), "location")));
    field(out, "ref tips", tips_text(group));
    field(out, "remediate", group.in_head
                                ? "in HEAD's tree: remove it there, and rotate it in any case"
                                : "not in HEAD's tree; history still holds it: rotate it in any case");
  } else if (group.locations.size() > 1) {
    field(out, "found", fmt::format("{} in {}", plural(group.locations.size(), "location"), plural(group.paths, "path")));
  }
  if (finding.token) field(out, "token", token_text(*finding.token));
  if (finding.dsn) field(out, "dsn", dsn_text(*finding.dsn));
  if (finding.validation.status != ValidationStatus::not_checked)
    field(out, "validation", validation_text(finding.validation, options.color));
  field(out, "suppress",
        fmt::format("add {} to .sentryscanignore (every location), or \"sentryscan:allow\" on each line",
                    terminal_safe(finding.fingerprint)));
  for (std::size_t i = 0; i < group.locations.size() && i < kListedLocations; ++i) {
    const Finding& location = *group.locations[i];
    std::string line = location_text(location);
    if (!location.source.commit.empty()) line += "  commit " + short_commit(location.source.commit);
    field(out, i == 0 ? "locations" : "", line);
  }
  if (group.locations.size() > kListedLocations)
    field(out, "", fmt::format("... and {} more (--group-by location lists each)",
                               group.locations.size() - kListedLocations));
  out << '\n';
}

}  // namespace

void write_text(std::ostream& out, const Report& report, const ReportOptions& options) {
  if (options.group_by_secret) {
    for (const SecretGroup& group : group_by_secret(report.findings)) write_group(out, group, options);
  } else {
    for (const auto& finding : report.findings) write_finding(out, finding, options);
  }

  if (options.list_problems && !report.issues.empty()) {
    out << "scan issues:\n";
    for (const auto& issue : report.issues) {
      const bool incomplete = issue.kind == ScanIssue::Kind::incomplete;
      const std::string kind = fmt::format("{:<10}", incomplete ? "incomplete" : "warning");
      out << "  " << paint(kind, incomplete ? "\x1b[31m" : "\x1b[33m", options.color) << "  ";
      if (!issue.where.empty()) out << terminal_safe(issue.where) << ": ";
      out << terminal_safe(issue.message) << '\n';
    }
    out << '\n';
  }
  out << summary_line(report, options) << '\n';
}

}  // namespace sentryscan::report_detail
