// Files and directory trees (SPEC 2 `scan`, 6, 8): a parallel walk where each
// worker lists directories, scans the files it finds with a reused buffer,
// and hands subdirectories to whichever worker is free.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/glob.h"
#include "scan/sink.h"

namespace sentryscan {

struct WalkOptions {
  GlobSet exclude;  // on paths relative to each argument
  bool follow_symlinks = false;
};

// Scans every regular file under `paths` (files or directories; "-" is
// standard input). A FIFO, pipe or device in `paths` is read as a stream
// (special_file.h); one met inside a directory is skipped, counted and named
// in a warning. Problems become ScanIssues; nothing stops the walk.
void scan_paths(const std::vector<std::string>& paths, const WalkOptions& options, const Scanner& scanner, ScanSink& sink);

}  // namespace sentryscan
