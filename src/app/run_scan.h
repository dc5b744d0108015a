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

#include <functional>
#include <optional>

#include "scan/sink.h"
#include "settings/settings.h"

namespace sentryscan {

// Exit statuses (SPEC 2).
inline constexpr int kExitClean = 0, kExitFindings = 1, kExitUsage = 2, kExitIncomplete = 3;

using ScanSource = std::function<void(const Scanner& scanner, ScanSink& sink)>;

// Prints configuration errors as "sentryscan: error: FILE:LINE: message" and
// returns 2 before scanning.
int run_scan(const Settings& settings, const ScanSource& source);

}  // namespace sentryscan
