// Undoing the encodings that hide credentials from a plain regex (project
// issue 7): base64 runs, percent-encoding, JSON/JS string escapes. Each
// decoded piece remembers where every byte came from, so a finding in it can
// be reported at the encoded text of the file the user opens.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "decode/survey.h"

namespace sentryscan::decode {

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last byte
};

// `joined`: string literals split in source code, joined (decode/joined_literals.h).
enum class Encoding { base64, base64url, percent, escape, joined };

// The label a finding's `decoded` chain uses: "base64", "base64url", "percent", "escape", "joined".
std::string_view encoding_name(Encoding encoding);

// A decoded view of part of a parent text.
class DecodedText {
 public:
  // One undone escape: `decoded_length` bytes of `text` at `decoded` came
  // from `parent_length` bytes of the parent at `parent`.
  struct Unit {
    std::size_t decoded, parent, decoded_length, parent_length;
  };
  // A line of a (possibly line-wrapped) base64 run: `length` characters at
  // `parent` in the parent are characters [compact, compact + length) of the run.
  struct Segment {
    std::size_t compact, parent, length;
  };

  static DecodedText from_escapes(Encoding encoding, Span window, std::string text, std::vector<Unit> units);
  static DecodedText from_base64(Encoding encoding, std::string text, std::vector<Segment> segments, std::size_t characters);

  Encoding encoding() const { return encoding_; }
  const std::string& text() const { return text_; }
  // The whole encoded span in the parent.
  Span parent_span() const { return span_; }

  // The smallest parent span holding the encoded form of text()[span).
  Span to_parent(Span decoded) const;

  // True when nothing in text()[span) was decoded: the parent holds the same
  // bytes there, so plain matching of the parent already saw them.
  bool is_verbatim(Span decoded) const;

 private:
  std::size_t parent_of_compact(std::size_t compact) const;

  Encoding encoding_ = Encoding::escape;
  std::string text_;
  Span span_;
  std::vector<Unit> units_;        // escapes: sorted by `decoded`
  std::vector<Segment> segments_;  // base64: sorted by `compact`
  std::size_t characters_ = 0;     // base64: length of the run without line breaks and padding
};

// A run of base64 characters long enough to hide a credential. Line-wrapped
// runs (PEM-style, `base64` without -w0) have one segment per line.
struct Base64Run {
  Encoding encoding = Encoding::base64;
  std::vector<DecodedText::Segment> segments;
  std::size_t characters = 0;  // without padding
  Span span;                   // in the parent, padding included
};

// The shortest run worth decoding: the smallest text that can hold a finding
// (`sentry_secret=` + 32 hex, a 43-byte DSN) is 56+ base64 characters.
constexpr std::size_t kMinBase64Run = 56;

// Runs of at least `min_length` (<= 64) characters of the standard or
// URL-safe alphabet whose start decodes to text or an archive signature, in
// order. `long_runs` comes from survey_text() with the same length; the
// overload without it surveys itself.
std::vector<Base64Run> find_base64_runs(std::string_view text, const std::vector<Survey::Run>& long_runs,
                                        std::size_t min_length = kMinBase64Run);

// The same, one survey run at a time (survey_text's RunSink).
class Base64RunFinder {
 public:
  explicit Base64RunFinder(std::string_view text, std::size_t min_length = kMinBase64Run)
      : text_(text), min_length_(min_length) {}
  void add(const Survey::Run& run);
  std::vector<Base64Run>& runs() { return runs_; }

 private:
  std::string_view text_;
  std::size_t min_length_;
  std::size_t done_ = 0;  // a wrapped run may have consumed the runs on its next lines
  std::vector<Base64Run> runs_;
};
std::vector<Base64Run> find_base64_runs(std::string_view text, std::size_t min_length = kMinBase64Run);

// What a base64 run decodes to, when that is worth scanning.
enum class Payload { garbage, text, packed, utf16 };

// Decodes a run. `packed` means the bytes start with an archive or
// compression signature (or end with a zip); `text` that they are mostly
// printable UTF-8; `utf16` that they are UTF-16 text (with its byte order
// mark, or without one: utf16_without_bom_to_utf8);
// anything else is garbage and comes back with an empty text.
Payload decode_base64_run(std::string_view parent, const Base64Run& run, DecodedText& out);

// Mostly printable: at least 95% of the bytes are printable ASCII, common
// whitespace or part of a well-formed UTF-8 sequence.
bool looks_like_text(std::string_view bytes);

// Each decoded window is handed over as soon as it is made and dropped after,
// so a file full of escapes is held decoded a piece (about 1 MiB) at a time.
using WindowSink = std::function<void(const DecodedText&)>;

// Windows of the parent around percent-escapes of characters that occur in
// credentials (%2F %3A %40 %2B %3D %5F %25), with every %XX in them undone.
// `triggers`: Survey::percents. Nothing is handed over when nothing is undone.
void undo_percent_encoding(std::string_view text, const std::vector<std::size_t>& triggers, const WindowSink& on_window);
std::vector<DecodedText> undo_percent_encoding(std::string_view text);  // surveys itself; for tests

// Windows around JSON/JS string escapes (`\/`, `\u002F`, `\x2F`) of
// characters that occur in credentials, with every escape in them undone
// (`\u{2F}`, `\\`, `\"` too). `triggers`: Survey::backslashes.
void undo_string_escapes(std::string_view text, const std::vector<std::size_t>& triggers, const WindowSink& on_window);
std::vector<DecodedText> undo_string_escapes(std::string_view text);  // surveys itself; for tests

}  // namespace sentryscan::decode
