#include "cli/common_options.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli/progress.h"
#include "config/config.h"
#include "core/diagnostics.h"
#include "core/input_error.h"
#include "report/report.h"
#include "rules/rule_loader.h"
#include "suppress/suppress.h"

namespace sentryscan::cli {
namespace {

constexpr int kExitClean = 0, kExitFindings = 1, kExitUsage = 2, kExitIncomplete = 3;

struct ResolvedOptions {
  ReportFormat format = ReportFormat::text;
  Severity fail_on = Severity::medium;
  std::uint64_t max_file_size = 50ull << 20;
  unsigned threads = 1;
  Config config;
  Suppressions suppressions;
  std::vector<std::string> exclude;
};

// Everything that can be wrong before scanning; throws InputError or CLI::ValidationError.
ResolvedOptions resolve(const CommonOptions& options, const std::filesystem::path& root) {
  ResolvedOptions resolved;
  const auto format = parse_report_format(options.format);
  if (!format) throw InputError("--format", 0, fmt::format("unknown format '{}'", options.format));
  resolved.format = *format;
  if (!options.config.empty()) {
    resolved.config = load_config(options.config);
  } else if (std::filesystem::exists(root / ".sentryscan.toml")) {
    resolved.config = load_config(root / ".sentryscan.toml");
  }
  if (!options.fail_on.empty()) {
    const auto severity = parse_severity(options.fail_on);
    if (!severity) throw InputError("--fail-on", 0, "must be low, medium, high or critical");
    resolved.fail_on = *severity;
  } else if (resolved.config.fail_on) {
    resolved.fail_on = *resolved.config.fail_on;
  }
  if (!options.max_file_size.empty()) {
    const auto size = parse_size(options.max_file_size);
    if (!size) throw InputError("--max-file-size", 0, fmt::format("not a size: '{}'", options.max_file_size));
    resolved.max_file_size = *size;
  } else if (resolved.config.max_file_size) {
    resolved.max_file_size = *resolved.config.max_file_size;
  }
  resolved.threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  resolved.suppressions.ignore = load_ignore_file(root / ".sentryscanignore");
  if (!options.baseline.empty()) resolved.suppressions.baseline = load_baseline(options.baseline);
  check_validate_flags(options.validate, resolved.config.validate);
  resolved.exclude = options.exclude;
  resolved.exclude.insert(resolved.exclude.end(), resolved.config.exclude.begin(), resolved.config.exclude.end());
  const auto& ignored_paths = resolved.suppressions.ignore.path_globs;
  resolved.exclude.insert(resolved.exclude.end(), ignored_paths.begin(), ignored_paths.end());
  return resolved;
}

std::string_view issue_label(ScanIssue::Kind kind) { return kind == ScanIssue::Kind::incomplete ? "incomplete" : "warning"; }

void print_issues(const std::vector<ScanIssue>& issues, bool quiet) {
  for (const auto& issue : issues) {
    if (quiet && issue.kind == ScanIssue::Kind::warning) continue;
    if (issue.where.empty()) print_message("{}: {}", issue_label(issue.kind), issue.message);
    else print_message("{}: {}: {}", issue_label(issue.kind), issue.where, issue.message);
  }
}

void sort_findings(std::vector<Finding>& findings) {
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.source.path, a.location.line, a.location.column, a.rule_id) <
           std::tie(b.source.path, b.location.line, b.location.column, b.rule_id);
  });
}

// Inline allows and the ignore file first; the baseline is written from what
// remains so a later run with it reports only new findings.
SuppressionOutcome suppress(std::vector<Finding> findings, const ResolvedOptions& resolved,
                            const CommonOptions& options, const std::vector<Rule>& rules) {
  SuppressionOutcome first = apply_suppressions(std::move(findings), Suppressions{resolved.suppressions.ignore, {}});
  if (!options.write_baseline.empty()) {
    std::ofstream out(options.write_baseline, std::ios::binary | std::ios::trunc);
    Report baseline;
    baseline.findings = first.kept;
    baseline.rules = &rules;
    write_report(out, ReportFormat::json, baseline, ReportOptions{});
    if (!out) throw InputError(options.write_baseline, 0, "cannot write baseline");
  }
  SuppressionOutcome second = apply_suppressions(std::move(first.kept), Suppressions{{}, resolved.suppressions.baseline});
  second.counts.inline_allow += first.counts.inline_allow;
  second.counts.ignore_file += first.counts.ignore_file;
  return second;
}

bool use_color(const CommonOptions& options) {
  return !options.no_color && options.output.empty() && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
}

}  // namespace

void add_common_options(CLI::App& command, CommonOptions& options) {
  command.add_option("--format", options.format, "Report format: text, json, jsonl, sarif, github")
      ->check(CLI::IsMember({"text", "json", "jsonl", "sarif", "github"}));
  command.add_option("--output,-o", options.output, "Write the report to FILE instead of standard output");
  command.add_option("--fail-on", options.fail_on, "Lowest severity that fails the run (default: medium)")
      ->check(CLI::IsMember({"low", "medium", "high", "critical"}));
  command.add_flag("--show-secrets", options.show_secrets, "Print secrets in full (redacted by default)");
  command.add_option("--baseline", options.baseline, "Previous json report: its findings are not reported again");
  command.add_option("--write-baseline", options.write_baseline, "Write the findings as a baseline json report");
  command.add_option("--config", options.config, "Config file (default: .sentryscan.toml at the scanned root)");
  command.add_option("--threads,-j", options.threads, "Worker threads (default: all cores)");
  command.add_option("--max-file-size", options.max_file_size, "Skip (and report) larger files, e.g. 50MiB");
  // One value per occurrence, so `--exclude GLOB PATH` does not eat PATH.
  command.add_option("--exclude", options.exclude, "Glob of paths not to scan (repeatable)")->allow_extra_args(false);
  command.add_option("--rules", options.rules_files, "Extra rules TOML file (repeatable)")->allow_extra_args(false);
  command.add_flag("--quiet,-q", options.quiet, "No warnings on standard error");
  command.add_flag("--no-color", options.no_color, "No colour even on a terminal");
  command.add_option("--progress", options.progress, "Progress line on standard error: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command.add_option("--max-decode-depth", options.max_decode_depth, "Nested encodings (base64, %XX, \\u escapes) to undo; 0: none (default 2)");
  command.add_option("--max-archive-depth", options.max_archive_depth, "Nested archives to expand; 0: none (default 3)");
  command.add_option("--max-archive-size", options.max_archive_size, "Bytes expanded from one file's archives before stopping (default 256MiB)")
      ->check([](const std::string& text) { return parse_size(text) ? std::string() : "not a size: " + text; });
  add_validate_flags(command, options.validate);
}

int run_scan_pipeline(const CommonOptions& options, const std::filesystem::path& root, const SourceFn& source) {
  ResolvedOptions resolved;
  std::vector<Rule> rules;
  std::unique_ptr<Matcher> matcher;
  try {
    resolved = resolve(options, root);
    std::vector<std::filesystem::path> rule_files(options.rules_files.begin(), options.rules_files.end());
    matcher = std::make_unique<Matcher>(load_rules(rule_files));
  } catch (const InputError& e) {
    print_error("{}", e.what());
    return kExitUsage;
  }

  ScanSettings settings{resolved.threads, resolved.max_file_size};
  settings.max_decode_depth = options.max_decode_depth;
  settings.max_archive_depth = options.max_archive_depth;
  if (!options.max_archive_size.empty()) settings.max_archive_size = *parse_size(options.max_archive_size);
  ScanContext context(*matcher, settings);
  {
    ProgressLine progress(context, options.quiet ? "never" : options.progress);
    source(context, SourceEnv{root, resolved.exclude});
  }
  ScanResult result = context.finish();
  sort_findings(result.findings);

  SuppressionOutcome outcome;
  try {
    outcome = suppress(std::move(result.findings), resolved, options, matcher->rules());
  } catch (const InputError& e) {
    print_error("{}", e.what());
    return kExitUsage;
  }
  const ValidationCounts validation =
      run_validation(outcome.kept, options.validate, resolved.config.validate, result.issues);

  Report report{std::move(outcome.kept), outcome.counts, result.issues, result.stats, &matcher->rules(), validation};
  const ReportOptions report_options{options.show_secrets, use_color(options), resolved.fail_on};
  // The text report lists issues itself; on a terminal, saying them twice is noise.
  const bool text_on_terminal = resolved.format == ReportFormat::text && options.output.empty() && isatty(STDOUT_FILENO);
  if (!text_on_terminal) print_issues(report.issues, options.quiet);
  if (options.output.empty()) {
    write_report(std::cout, resolved.format, report, report_options);
    std::cout.flush();
  } else {
    std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
    write_report(out, resolved.format, report, report_options);
    if (!out) {
      print_error("cannot write report to {}", options.output);
      return kExitIncomplete;
    }
  }

  const bool failing = std::any_of(report.findings.begin(), report.findings.end(),
                                   [&](const Finding& f) { return fails_run(report, f, resolved.fail_on); });
  if (failing) return kExitFindings;
  if (result.incomplete()) {
    print_message("the scan was incomplete: some content was not scanned or checked (see the messages above)");
    return kExitIncomplete;
  }
  return kExitClean;
}

}  // namespace sentryscan::cli
