// Text reporter: one block per finding, then scan issues, then one summary
// line (SPEC 2, Output). Colour only when the CLI says stdout is a terminal.
#include <fmt/format.h>

#include <string>
#include <vector>

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

// "  label:    value" with values aligned in one column.
void field(std::ostream& out, std::string_view label, std::string_view value) {
  out << fmt::format("  {:<12}{}\n", fmt::format("{}:", label), value);
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
  field(out, "location", location_text(finding));

  const Provenance& source = finding.source;
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

}  // namespace

void write_text(std::ostream& out, const Report& report, const ReportOptions& options) {
  for (const auto& finding : report.findings) write_finding(out, finding, options);

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
