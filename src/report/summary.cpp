// Human-facing wording shared by the text and github reporters.
#include <fmt/format.h>

#include "core/terminal_text.h"
#include "report/group_by_secret.h"
#include "report/report_internal.h"

namespace sentryscan::report_detail {

std::string human_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string count_noun(std::uint64_t count, std::string_view plural_noun) {
  std::string_view noun = plural_noun;
  if (count == 1 && noun.size() > 1 && noun.back() == 's') noun.remove_suffix(1);
  return fmt::format("{} {}", count, noun);
}

std::string short_commit(std::string_view commit) { return std::string(commit.substr(0, 12)); }

std::string summary_line(const Report& report, const ReportOptions& options) {
  const FindingCounts counts = count_findings(report, options.fail_on);
  const ScanStats& stats = report.stats;
  std::string line;
  const ValidationCounts& validation = report.validation;
  // With --only-live, "found" and "fail" speak of live credentials only.
  const std::string_view live = validation.only_live ? "live " : "";
  if (counts.total == 0) {
    line = fmt::format("no {}Sentry credentials found", live);
  } else {
    std::string found = count_noun(counts.total, "findings");
    if (options.group_by_secret) {
      const std::size_t secrets = group_by_secret(report.findings).size();
      found += fmt::format(" of {} {}", secrets, secrets == 1 ? "secret" : "secrets");
    }
    line = fmt::format("{}: {} critical, {} high, {} medium, {} low ({} {}at or above --fail-on {})", found,
                       counts.by_severity[3], counts.by_severity[2], counts.by_severity[1], counts.by_severity[0],
                       counts.failing, live, to_string(options.fail_on));
  }
  line += fmt::format("; scanned {} ({}) in {:.2f} s", count_noun(stats.items_scanned, stats.item_noun),
                      human_bytes(stats.bytes_scanned), stats.seconds);
  if (stats.items_skipped > 0) line += fmt::format(", {} skipped", stats.items_skipped);

  const SuppressionCounts& suppressed = report.suppressed;
  line += fmt::format("; {} suppressed", suppressed.total());
  if (suppressed.total() > 0) {
    std::string breakdown;
    auto add = [&breakdown](std::uint64_t n, std::string_view what) {
      if (n == 0) return;
      if (!breakdown.empty()) breakdown += ", ";
      breakdown += fmt::format("{} {}", n, what);
    };
    add(suppressed.inline_allow, "inline");
    add(suppressed.ignore_file, "ignore file");
    add(suppressed.baseline, "baseline");
    add(suppressed.earlier_audit, "seen by an earlier audit");
    line += fmt::format(" ({})", breakdown);
  }

  if (validation.enabled) {
    line += fmt::format("; validation: {} live, {} revoked, {} could not be checked (unknown), {} skipped",
                        validation.live, validation.revoked, validation.unknown, validation.skipped);
    if (validation.only_live)
      line += fmt::format("; --only-live left out {} revoked and {} skipped", validation.revoked, validation.skipped);
  }

  std::uint64_t incomplete = 0;
  for (const auto& issue : report.issues)
    if (issue.kind == ScanIssue::Kind::incomplete) ++incomplete;
  if (incomplete > 0) line += fmt::format("; INCOMPLETE: {} not scanned", count_noun(incomplete, "problems"));
  if (!stats.note.empty()) line += "; " + escape_control(stats.note);
  return line;
}

std::string terminal_safe(std::string_view text) { return escape_control(text); }

}  // namespace sentryscan::report_detail
