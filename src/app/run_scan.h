// The library's one entry point for a scan: settings and a source in, an exit
// status (SPEC 2) out. Every front end (the CLI's scan, git and staged
// commands; later remote audits) calls it; none reaches into another.
//
//   Settings settings = load_settings(args, ConfigPlace::directory(root));  // or exit 2
//   int status = run_scan(settings, [&](const Scanner& scanner, ScanSink& sink) {
//     scan_paths(paths, WalkOptions{settings.exclude, false}, scanner, sink);
//   });
//
// The pipeline: rules -> matcher -> source pushes into a Collector ->
// suppression -> validation -> report -> exit status.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "report/report.h"
#include "scan/sink.h"
#include "settings/settings.h"

namespace sentryscan {

// Exit statuses (SPEC 2).
inline constexpr int kExitClean = 0, kExitFindings = 1, kExitUsage = 2, kExitIncomplete = 3;

using ScanSource = std::function<void(const Scanner& scanner, ScanSink& sink)>;

struct Report;

// What a front end adds to a run (git --state, app/state_run.h); each may be empty.
struct RunHooks {
  // Every finding the scan made, before any suppression.
  std::function<void(const std::vector<Finding>&)> found;
  // Removes findings earlier runs reported (--new-only) after suppression;
  // returns how many it removed, which the summary counts.
  std::function<std::uint64_t(std::vector<Finding>&)> drop_seen;
  // After the scan: a sentence the summary line ends with ("incremental: ...").
  std::function<std::string()> summary_note;
  // After the report is written, with the exit status it would have; returns
  // the status to exit with.
  std::function<int(const Report& report, int status)> finished;
};

// Prints configuration errors as "sentryscan: error: FILE:LINE: message" and
// returns 2 before scanning.
int run_scan(const Settings& settings, const ScanSource& source, const RunHooks& hooks = {});

// The end of run_scan for a report made elsewhere (`sentryscan merge`):
// writes it where the settings say and returns the exit status it gives
// (1 for findings at or above --fail-on, else 3 when incomplete, else 0; 2
// when the report cannot be written).
int write_and_judge(const Settings& settings, const Report& report);

// Findings in report order: repository, path, line, column, rule.
void sort_findings(std::vector<Finding>& findings);

}  // namespace sentryscan
