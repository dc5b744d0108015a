// Scanning a blob rebuilt from a delta by scanning only what the delta
// changed (project issue 14), with the base's findings reused elsewhere.
//
// The pack reader rebuilds each delta chain from its root (pack::BlobDelta):
// a child is copies of its base's bytes and literal inserts. Most of a new
// version of a file is copied, so most of its findings are the base's,
// moved. The scanner's decisions are local: whether a finding exists, and
// its text, line, column and allow marker, depend only on its own whole
// lines and the bytes within `reach` of it (context_reach: 2.5 KiB for the
// checks of match/checks.cpp, which read 2 KiB before a candidate and 512
// bytes after, and for escape windows, 1 KiB either side of a trigger; a
// rule whose confirmation regex reads more than its secret adds its window,
// 512 bytes for the built-in keyword rules; 8 KiB where "[auth]" is
// written in the blob or its base, for the walk back to the section header
// and the 2 KiB before it), except wrapped base64, whose decoding depends on
// the whole run (followed across lines). So, for a target blob T made from
// base B by ops:
//
//   dirty   each insert, and the two bytes around every boundary between
//           ops (ops are merged, so each is a change; the byte before a line
//           decides where it starts); the first or last byte of T when B
//           went on past the copy there
//   core A  lines(lines(dirty) +- reach), then grown over wrapped base64
//           lines until no run crosses its edges
//   window  W = lines(A +- (reach + kMaxSpan)), grown the same way; windows
//           that meet are merged, and each is scanned as its own text by the
//           real Scanner (same provenance, so path rules agree)
//   result  window findings that overlap A, each checked to have its own
//           context (lines(span +- reach), grown over base64) inside W
//         + B's findings that do not overlap any A, moved to where a copy put
//           them, each checked to have its context inside that copy.
//
// Why that is all of T's findings: a finding f of T that overlaps no A has
// no dirty byte in its context (a dirty byte on a line within `reach` of f
// would put f inside lines(dirty) +- reach; a base64 run holding f and a
// dirty byte overlaps A and so lies inside it), so its context is one copy
// of B's bytes and B had f there. A finding that overlaps A and spans at
// most kMaxSpan has its context inside W, where the window scan sees the
// same bytes as a full scan. The windows therefore reach 2 x reach + 512
// bytes (6.6 KiB with the built-in rules) beyond each change, plus lines.
//
// Anything else is scanned whole, the way it always was:
//   - blobs under kMinDeltaBlob, or whose windows would cover most of them;
//   - a base that was not handed to the audit, or was not scanned exactly
//     (see below); the delta's base is then the object git chose, not
//     necessarily an earlier version of the same file;
//   - path-dependent decisions that differ between B's path and T's
//     (lockfile, checksum list, "sentry" in the path: match/checks.h);
//   - bytes the scanner does not read as they are, or not the same way as
//     B: a UTF-16 BOM, an archive (at the start or a zip at the end), UTF-16
//     without a BOM that it would transcode, a NUL after the first 8000
//     bytes (a window could have it near its start), T plain text and B
//     binary or the other way round; and a window that would read
//     differently on its own (the same tests on its bytes). A binary blob
//     (a NUL in its first 8000 bytes) is scanned by windows like text: its
//     window findings are marked binary, as a full scan marks them;
//   - any ScanIssue from a window scan; any finding (window or base) whose
//     `decoded` chain holds more than encodings (an archive inside base64),
//     or that spans more than kMaxSpan; a window finding whose context
//     reaches past its window; a base finding that no copy holds with its
//     context and that no core covers.
// A blob's result is kept for its own deltas only when it was exact in this
// sense (plain or binary as above, no issues, only short findings with
// plain chains).
//
// Known limits (what the verify mode is for): the survey keeps one escape or
// keyword trigger per 256 bytes counted from the start of the text it is
// given, keyword windows for joined literals merge up to 4 KiB and escape
// windows are cut at 1 MiB, so in a region dense with triggers for longer
// than a window, a full scan and a window scan may cut their windows at
// different places; a joined literal is lexed from the start of its
// window's first line, so a backtick literal open across more than `reach`
// bytes of lines could lex differently; a header line of [auth] longer than
// 4 KiB moves the 2 KiB read before it out of reach. None of these matters
// unless a credential lies exactly there. `--delta-scan verify` scans every
// delta-path blob both ways too and reports any difference as an incomplete
// issue naming the blob.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "scan/sink.h"
#include "source/git/audit/audit.h"
#include "source/git/pack/pack_reader.h"

namespace sentryscan::git {

struct DeltaScanCounters {
  std::atomic<std::uint64_t> delta_blobs{0};      // scanned by windows
  std::atomic<std::uint64_t> full_blobs{0};       // scanned whole
  std::atomic<std::uint64_t> fallbacks{0};        // scanned whole: a window check failed
  std::atomic<std::uint64_t> window_bytes{0};     // bytes the window scans read
  std::atomic<std::uint64_t> delta_bytes{0};      // bytes of the blobs scanned by windows
  std::atomic<std::uint64_t> no_base{0};          // scanned whole: no exact base (root, unwanted or inexact base)
  std::atomic<std::uint64_t> small{0};            // scanned whole: under the size the windows pay off at
  std::atomic<std::uint64_t> too_wide{0};         // scanned whole: windows would cover most of it
  std::atomic<std::uint64_t> not_plain{0};        // scanned whole: not plain text, or path rules differ
  std::atomic<std::uint64_t> no_base_bytes{0}, too_wide_bytes{0};
  std::atomic<std::uint64_t> reused{0};           // findings moved from a base instead of found again
  std::atomic<std::uint64_t> blob_bytes{0};       // bytes of every blob handed over
  std::atomic<std::uint64_t> differences{0};      // verify: blobs whose two results differ
};

// Scans one blob the pack reader handed over and returns its findings
// (provenance as scan_counted gives it). Counts the blob on `sink` once and
// pushes its issues, as scan_counted does. Fills *delta.state for the
// blob's own deltas when its result is exact. `delta` may be null (libgit2).
std::vector<Finding> scan_blob_delta(const Scanner& scanner, ScanSink& sink, unsigned worker, const Chunk& chunk,
                                     pack::BlobDelta* delta, DeltaScan mode, std::size_t reach,
                                     DeltaScanCounters& counters);

// How far a finding of these rules depends on the bytes around it, beyond
// its own lines (once per audit): 2.5 KiB for the context checks, or a
// rule's confirmation window plus that when its regex reads more than the
// secret (a keyword before it). 8 KiB is used where "[auth]" is written.
std::size_t context_reach(const Matcher& matcher);

// One line for --delta-scan verify (a warning issue), so tests and
// benchmarks can see which path blobs took.
std::string describe(const DeltaScanCounters& counters);

}  // namespace sentryscan::git
