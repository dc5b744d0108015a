// Scanning one file or blob all the way down: archives expanded, encodings
// undone, every finding reported where the user can find it (the encoded
// text in the file, or `outer.zip!inner/path`), with `decoded` saying how it
// was hidden.
#pragma once

#include <string_view>
#include <vector>

#include "decode/archive.h"
#include "scan/scan_result.h"
#include "match/matcher.h"

namespace sentryscan::decode {

struct Span;

struct DeepScanLimits {
  unsigned max_decode_depth = 2;   // nested encodings undone (base64 in base64...); 0: none
  unsigned max_archive_depth = 3;  // nested archives expanded; 0: archives are scanned as bytes
  ArchiveLimits archive;
};

// One per scan call: holds the archive budget of the file being scanned.
class DeepScanner {
 public:
  DeepScanner(const Matcher& matcher, Matcher::Scratch& scratch, const DeepScanLimits& limits);

  // Findings in `data`, located in it (or in an archive entry of it); source
  // = provenance with the path extended for archive entries. Problems (limits
  // hit, damaged archives) are appended to `issues`.
  std::vector<Finding> scan(std::string_view data, const Provenance& provenance, std::vector<ScanIssue>& issues);

 private:
  struct Hit;
  struct RawPass;
  struct Covered;

  // `stream`: the bytes are a decompressed stream, searched for archives and UTF-16 text at any offset.
  void scan_container(std::string_view bytes, const Provenance& provenance, unsigned archive_depth,
                      std::vector<Finding>& out, bool stream = false);
  void expand(std::string_view bytes, const Provenance& provenance, unsigned archive_depth,
              std::vector<Finding>& expanded, std::vector<Covered>& covered, std::vector<TextField>& texts);
  void scan_raw(std::string_view bytes, const Provenance& provenance, unsigned archive_depth,
                const std::vector<TextField>& texts, RawPass& pass);
  void scan_text_container(std::string_view bytes, const Provenance& provenance, unsigned archive_depth,
                           std::vector<Finding>& out, std::vector<Span>* raw_spans = nullptr,
                           const std::vector<TextField>* texts = nullptr);
  void scan_utf16_without_bom(std::string_view bytes, const Provenance& provenance, unsigned archive_depth,
                              std::size_t raw_first, std::vector<Finding>& out, std::vector<Span>* raw_spans);
  static void add_findings(std::string_view text, std::vector<Hit>& hits, const Provenance& provenance, bool binary,
                           bool raw_bytes, std::vector<Finding>& out);
  void add_text_field_hits(std::string_view text, const std::vector<TextField>& fields, std::string_view path,
                           unsigned archive_depth, std::vector<Hit>& hits);
  static void keep_uncovered(RawPass& raw, std::vector<Covered> covered, const std::vector<Finding>& expanded,
                             std::vector<Finding>& out);
  std::vector<Hit> scan_text(std::string_view text, std::string_view path, unsigned decode_depth,
                             unsigned archive_depth, const class DecodedText* source);
  void scan_base64(const std::vector<struct Base64Run>& runs, std::string_view text, std::string_view path,
                   unsigned decode_depth, unsigned archive_depth, const DecodedText* source,
                   const std::vector<Hit>& plain, std::vector<Hit>& decoded);
  Hit make_hit(std::string_view text, Match& match, std::size_t shift) const;
  std::vector<Hit> scan_in_place(std::string_view text, Span run, std::string_view value, std::string_view path);
  std::vector<Hit> scan_embedded_archive(const DecodedText& decoded, std::string_view path, unsigned archive_depth);
  void report(std::string where, const ArchiveProblem& problem);

  const Matcher& matcher_;
  Matcher::Scratch& scratch_;
  const DeepScanLimits& limits_;
  ArchiveBudget budget_;
  std::vector<ScanIssue>* issues_ = nullptr;
};

}  // namespace sentryscan::decode
