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
  // The globs of the repository's own files (.sentryscan.toml, .sentryscanignore)
  // are relative to the directory holding them, which may be above a scanned
  // argument (`scan src` at the top of a repository uses the top's files).
  GlobSet rooted_exclude;
  std::filesystem::path rooted_at;  // that directory, absolute; empty: rooted_exclude unused
};

// Scans every regular file under `paths` (files or directories; "-" is
// standard input). A FIFO, pipe or device in `paths` is read as a stream
// (special_file.h); one met inside a directory is skipped, counted and named
// in a warning. Problems become ScanIssues; nothing stops the walk.
void scan_paths(const std::vector<std::string>& paths, const WalkOptions& options, const Scanner& scanner, ScanSink& sink);

}  // namespace sentryscan
