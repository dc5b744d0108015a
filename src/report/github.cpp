// GitHub Actions workflow commands: one annotation per finding on the PR diff,
// then a summary notice. Escaping follows the Actions runner
// (toolkit/packages/core/src/command.ts): messages escape % CR LF, property
// values additionally : and ,. Without it a path or commit message could end
// the command early or inject a command of its own. Other control characters
// are escaped as in the text report (escape_data).
#include <fmt/format.h>

#include <string>
#include <vector>

#include "core/terminal_text.h"
#include "report/report_internal.h"

namespace sentryscan::report_detail {

namespace {

// The runner's escaping alone lets ESC, BEL and the other controls through
// raw: into the job log (which renders ANSI colours) and any terminal that
// replays it. So the text between line breaks is escaped like every other
// untrusted text (core/terminal_text.h); CR and LF themselves become %0D and
// %0A as the runner expects, and stay inside the annotation.
std::string escape_data(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (true) {
    const std::size_t line_break = text.find_first_of("\r\n");
    for (char c : escape_control(text.substr(0, line_break))) {
      if (c == '%') out += "%25";
      else out.push_back(c);
    }
    if (line_break == std::string_view::npos) break;
    out += text[line_break] == '\r' ? "%0D" : "%0A";
    text.remove_prefix(line_break + 1);
  }
  return out;
}

std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string_view command_for(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high: return "error";
    case Severity::medium: return "warning";
    case Severity::low: return "notice";
  }
  return "notice";
}

std::string properties_for(const Finding& finding) {
  std::vector<std::string> props;
  std::string_view path = finding.source.path;
  if (path.starts_with("./")) path.remove_prefix(2);
  if (!path.empty()) props.push_back("file=" + escape_property(path));
  const Location& loc = finding.location;
  if (loc.line > 0) {
    props.push_back(fmt::format("line={}", loc.line));
    const std::uint64_t end_line = std::max(loc.line, loc.end_line);
    // GitHub only honours columns on single-line annotations.
    if (end_line == loc.line) {
      if (loc.column > 0) props.push_back(fmt::format("col={}", loc.column));
      props.push_back(fmt::format("endLine={}", end_line));
      if (loc.end_column >= loc.column && loc.column > 0) props.push_back(fmt::format("endColumn={}", loc.end_column));
    } else {
      props.push_back(fmt::format("endLine={}", end_line));
    }
  }
  props.push_back("title=" + escape_property(fmt::format("{} ({})", finding.description, finding.rule_id)));
  std::string out;
  for (const auto& prop : props) {
    if (!out.empty()) out += ',';
    out += prop;
  }
  return out;
}

std::string message_for(const Finding& finding, const ReportOptions& options) {
  std::string message = fmt::format("{} {} ({}): {}", to_string(finding.severity), finding.description,
                                    finding.rule_id, shown_secret(finding, options.show_secrets));
  const Provenance& source = finding.source;
  if (!source.repository.empty()) message += "\nrepository: " + source.repository;
  if (!source.commit.empty()) {
    message += fmt::format("\nintroduced in commit {}", short_commit(source.commit));
    if (!source.author.empty()) message += fmt::format(" by {} <{}>", source.author, source.email);
    if (!source.date.empty()) message += " on " + source.date;
    if (!source.message.empty()) message += ": " + source.message;
  }
  if (finding.token && !finding.token->org.empty()) message += "\norg: " + finding.token->org;
  if (finding.dsn) {
    message += fmt::format("\ndsn: host {}, project {}, {}", finding.dsn->host, finding.dsn->project_id,
                           finding.dsn->saas ? "sentry.io" : "self-hosted");
  }
  if (finding.validation.status != ValidationStatus::not_checked) {
    message += fmt::format("\nvalidation: {}", to_string(finding.validation.status));
    if (!finding.validation.detail.empty()) message += " (" + finding.validation.detail + ")";
  }
  if (finding.binary) message += "\nin a binary file";
  message += fmt::format("\nsuppress: add \"sentryscan:allow\" on that line, or add {} to .sentryscanignore",
                         finding.fingerprint);
  return message;
}

}  // namespace

void write_github(std::ostream& out, const Report& report, const ReportOptions& options) {
  for (const auto& finding : report.findings)
    out << "::" << command_for(finding.severity) << ' ' << properties_for(finding)
        << "::" << escape_data(message_for(finding, options)) << '\n';
  for (const auto& issue : report.issues) {
    const bool incomplete = issue.kind == ScanIssue::Kind::incomplete;
    const std::string text = issue.where.empty() ? issue.message : fmt::format("{}: {}", issue.where, issue.message);
    out << (incomplete ? "::error title=" : "::warning title=")
        << escape_property(incomplete ? "sentryscan: scan incomplete" : "sentryscan: warning")
        << "::" << escape_data(text) << '\n';
  }
  out << "::notice title=sentryscan::" << escape_data(summary_line(report, options)) << '\n';
}

}  // namespace sentryscan::report_detail
