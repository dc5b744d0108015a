#include "app/run_scan.h"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <sstream>

#include "app/progress.h"
#include "app/report_file.h"
#include "core/diagnostics.h"
#include "core/input_error.h"
#include "match/matcher.h"
#include "report/report.h"
#include "rules/rule_loader.h"
#include "scan/collector.h"
#include "suppress/suppress.h"
#include "validate/stage.h"

namespace sentryscan {
namespace {

std::string_view issue_label(ScanIssue::Kind kind) { return kind == ScanIssue::Kind::incomplete ? "incomplete" : "warning"; }

void print_issues(const std::vector<ScanIssue>& issues, bool quiet) {
  for (const auto& issue : issues) {
    if (quiet && issue.kind == ScanIssue::Kind::warning) continue;
    if (issue.where.empty()) print_message("{}: {}", issue_label(issue.kind), issue.message);
    else print_message("{}: {}: {}", issue_label(issue.kind), issue.where, issue.message);
  }
}

// Inline allows and the ignore file first; the baseline is written from what
// remains so a later run with it reports only new findings. Throws InputError.
SuppressionOutcome suppress(std::vector<Finding> findings, const Settings& settings, Suppressions baseline,
                            const std::vector<Rule>& rules) {
  Suppressions repository{settings.ignore.fingerprints, settings.ignored_paths, {}};
  SuppressionOutcome first = apply_suppressions(std::move(findings), repository);
  if (!settings.write_baseline.empty()) {
    std::ostringstream out;
    Report baseline;
    baseline.findings = first.kept;
    baseline.rules = &rules;
    write_report(out, ReportFormat::json, baseline, ReportOptions{});
    if (auto problem = write_report_file(settings.write_baseline, out.str()))
      throw InputError(settings.write_baseline, 0, "cannot write baseline: " + *problem);
  }
  SuppressionOutcome second = apply_suppressions(std::move(first.kept), baseline);
  second.counts.inline_allow += first.counts.inline_allow;
  second.counts.ignore_file += first.counts.ignore_file;
  second.allowed_inline = std::move(first.allowed_inline);
  return second;
}

// The range vouching for itself: say what each allow it added suppresses
// (never the secret: the fingerprint identifies it).
void name_inline_allows(const std::vector<Finding>& allowed, std::vector<ScanIssue>& issues) {
  for (const Finding& f : allowed) {
    const std::string commit = f.source.commit.substr(0, 12);
    issues.push_back({ScanIssue::Kind::warning, fmt::format("{}:{}", f.source.path, f.location.line),
                      fmt::format("a sentryscan:allow added by this range suppresses {} ({}){}", f.rule_id,
                                  f.fingerprint, commit.empty() ? "" : " in commit " + commit)});
  }
}

// Without --validate nothing here touches the network.
ValidationCounts run_validation(std::vector<Finding>& findings, const Settings& settings,
                                std::vector<ScanIssue>& issues) {
  if (!settings.validate) return {};
  return validate::run_validation_stage(findings, settings.validation, settings.only_live, issues);
}

bool wants_colour(const Settings& settings) {
  if (settings.color == ColorMode::automatic) return settings.output.empty() && isatty(STDOUT_FILENO);
  return settings.color == ColorMode::always;
}

// Returns false (after saying why) when the report could not be written.
bool write_out(const Settings& settings, const Report& report) {
  ReportOptions options{settings.show_secrets, wants_colour(settings), settings.fail_on.value};
  options.author_email = settings.author_email;
  options.link_bases = settings.validation.routing.allowed;
  options.group_by_secret = settings.group_by == GroupBy::secret;
  // Each problem is printed once, on stderr, after the report (so it is not
  // scrolled away, filtered by `| grep` or lost in `> file`). A text report
  // on standard output reaches the same person, so it does not list them
  // again; a report file keeps them as a record.
  options.list_problems = !settings.output.empty();
  std::ostringstream out;
  write_report(out, settings.format, report, options);
  std::optional<std::string> problem;
  if (settings.output.empty()) {
    problem = write_standard_output(out.str());
    if (problem) print_error("cannot write report to standard output: {}", *problem);
  } else {
    problem = write_report_file(settings.output, out.str());
    if (problem) print_error("cannot write report to {}: {}", settings.output, *problem);
  }
  print_issues(report.issues, settings.quiet);
  return !problem;
}

// Known before any work is done: a missing directory, a directory named as the
// report, no permission (SPEC 2: a usage error, exit 2).
bool report_paths_writable(const Settings& settings) {
  if (!settings.output.empty())
    if (auto problem = report_file_problem(settings.output)) {
      print_error("cannot write report to {}: {}", settings.output, *problem);
      return false;
    }
  if (!settings.write_baseline.empty())
    if (auto problem = report_file_problem(settings.write_baseline)) {
      print_error("cannot write baseline to {}: {}", settings.write_baseline, *problem);
      return false;
    }
  return true;
}

int exit_status(const Report& report, const Settings& settings) {
  const bool failing = std::any_of(report.findings.begin(), report.findings.end(),
                                   [&](const Finding& f) { return fails_run(report, f, settings.fail_on.value); });
  if (failing) return kExitFindings;
  const bool incomplete = std::any_of(report.issues.begin(), report.issues.end(),
                                      [](const ScanIssue& i) { return i.kind == ScanIssue::Kind::incomplete; });
  if (!incomplete) return kExitClean;
  print_message("the scan was incomplete: some content was not scanned or checked (see the messages above)");
  return kExitIncomplete;
}

}  // namespace

void sort_findings(std::vector<Finding>& findings) {
  // The repository is empty in single-repository runs: their order is unchanged.
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.source.repository, a.source.path, a.location.line, a.location.column, a.rule_id) <
           std::tie(b.source.repository, b.source.path, b.location.line, b.location.column, b.rule_id);
  });
}

int write_and_judge(const Settings& settings, const Report& report) {
  if (!write_out(settings, report)) return kExitUsage;
  return exit_status(report, settings);
}

int run_scan(const Settings& settings, const ScanSource& source, const RunHooks& hooks) {
  if (!report_paths_writable(settings)) return kExitUsage;
  std::unique_ptr<Matcher> matcher;
  Suppressions baseline;  // read before scanning, so a bad file stops the run before any work
  try {
    if (settings.baseline_text) baseline.baseline = parse_baseline(settings.baseline_text->text, settings.baseline_text->origin);
    else if (!settings.baseline.empty()) baseline.baseline = load_baseline(settings.baseline);
    matcher = std::make_unique<Matcher>(load_rules(settings.rules_files));
  } catch (const InputError& e) {
    print_error("{}", e.what());
    return kExitUsage;
  }
  const Scanner scanner(*matcher, settings.limits);
  Collector collector;
  for (const auto& warning : settings.warnings) collector.add_issue({ScanIssue::Kind::warning, "", warning});
  {
    ProgressLine progress(collector, settings.progress);
    source(scanner, collector);
  }
  ScanResult result = collector.finish();
  sort_findings(result.findings);
  if (hooks.found) hooks.found(result.findings);
  if (hooks.summary_note) result.stats.note = hooks.summary_note();

  SuppressionOutcome outcome;
  try {
    outcome = suppress(std::move(result.findings), settings, std::move(baseline), matcher->rules());
  } catch (const InputError& e) {
    print_error("{}", e.what());
    return kExitUsage;
  }
  if (hooks.drop_seen) outcome.counts.earlier_audit = hooks.drop_seen(outcome.kept);
  if (settings.name_inline_allows) name_inline_allows(outcome.allowed_inline, result.issues);
  const ValidationCounts validation = run_validation(outcome.kept, settings, result.issues);

  Report report{std::move(outcome.kept), outcome.counts, result.issues, result.stats, &matcher->rules(), validation};
  report.finished_at = std::time(nullptr);
  const int status = write_and_judge(settings, report);
  if (status == kExitUsage) return status;
  return hooks.finished ? hooks.finished(report, status) : status;
}

}  // namespace sentryscan
