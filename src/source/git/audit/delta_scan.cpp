#include "source/git/audit/delta_scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <optional>
#include <tuple>

#include "decode/archive.h"
#include "decode/transcode.h"
#include "match/checks.h"
#include "source/git/handle.h"

namespace sentryscan::git {
namespace {

// How far any finding's existence, text, line and allow marker depend on the
// bytes around it, beyond the whole lines it is on (see the header): 2 KiB
// before a candidate for the context checks (match/checks.cpp: "sentry"
// nearby, digest listings, a value encoded in place), 512 bytes after,
// 1 KiB either side of an undone escape; plus the longest confirmation
// window of a rule that reads more than its secret (context_reach).
constexpr std::size_t kCheckReach = 2560;
// The [auth] walk reads 4 KiB of lines back to the header, 2 KiB before the
// header and 2 KiB after the key: only where "[auth]" is written.
constexpr std::size_t kAuthReach = 8192;
// The longest finding span taken from either side; longer ones (a whole
// base64 run that decodes to an archive or UTF-16) are scanned whole.
constexpr std::size_t kMaxSpan = 512;
// Smaller blobs are scanned whole: windows of dirty +- (2 x reach + 512) cover them.
constexpr std::size_t kMinDeltaBlob = 16u << 10;
// Windows covering more than this share of a blob: the blob is scanned whole.
constexpr double kMaxWindowShare = 0.75;

struct Range {
  std::size_t begin = 0, end = 0;
};

bool overlaps(Range a, Range b) { return a.begin < b.end && b.begin < a.end; }
bool inside(Range inner, Range outer) { return inner.begin >= outer.begin && inner.end <= outer.end; }

// How the scanner reads a blob as a whole, when windows can stand in for
// it. `plain`: no NUL, no UTF-16 BOM, no archive. `binary`: a NUL within the
// first 8000 bytes (looks_binary: every finding is marked binary), no UTF-16
// text the scanner would transcode (utf16_without_bom_to_utf8 finds none),
// no BOM, no archive. Anything else (a NUL further on, which a window could
// see near its start; UTF-16; archives) is `other`: scanned whole.
enum class TextKind { other, plain, binary };

// What a blob's exact scan leaves for the deltas based on it.
struct BaseScan {
  std::string path;
  std::size_t size = 0;
  bool auth_header = false;  // holds "[auth]" (any case)
  TextKind kind = TextKind::other;
  std::vector<Finding> findings;
  std::vector<Range> spans;  // of findings[i], in the blob's bytes
};

// The start of every line of a text, for locating findings of a window or
// of a blob scanned whole (Location -> bytes).
class LineStarts {
 public:
  explicit LineStarts(std::string_view text) : size_(text.size()) {
    starts_.push_back(0);
    if (text.empty()) return;  // data() may be null, and memchr must not see null
    for (const char* p = text.data(); (p = static_cast<const char*>(
                                           std::memchr(p, '\n', text.size() - static_cast<std::size_t>(p - text.data()))));) {
      ++p;
      starts_.push_back(static_cast<std::size_t>(p - text.data()));
    }
  }
  // Byte span of a finding located in this text (Location is 1-based, its end inclusive).
  std::optional<Range> span_of(const Location& at) const {
    if (at.line == 0 || at.end_line < at.line || at.end_line > starts_.size() || at.column == 0 || at.end_column == 0)
      return std::nullopt;
    const Range span{starts_[at.line - 1] + at.column - 1, starts_[at.end_line - 1] + at.end_column};
    if (span.end > size_ || span.begin >= span.end) return std::nullopt;
    return span;
  }

 private:
  std::size_t size_;
  std::vector<std::size_t> starts_;
};

// Lines of a blob on the delta path, found where they are needed: a line's
// start and end by searching from the place asked about, line numbers by
// counting line breaks from the nearest place already counted. An index of
// every line start cost more than the scanning the windows saved (0.44 G
// instructions and 1.5 G of memchr on sentry-python, one call per line).
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  std::size_t size() const { return text_.size(); }
  // Start of the line holding offset x (x <= size).
  std::size_t begin_of(std::size_t x) const {
    if (x == 0) return 0;
    const void* nl = memrchr(text_.data(), '\n', x);
    return nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data()) + 1 : 0;
  }
  // End of the line holding x - 1 (its line break included).
  std::size_t end_after(std::size_t x) const {
    if (x == 0) return 0;
    const void* nl = std::memchr(text_.data() + x - 1, '\n', text_.size() - (x - 1));
    return nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data()) + 1 : text_.size();
  }
  // 0-based number of the line holding offset x (x <= size).
  std::size_t index(std::size_t x) const {
    auto it = std::upper_bound(counted_.begin(), counted_.end(), std::pair<std::size_t, std::size_t>{x, SIZE_MAX});
    const auto [from, breaks] = it == counted_.begin() ? std::pair<std::size_t, std::size_t>{0, 0} : *std::prev(it);
    const std::size_t line =
        breaks + static_cast<std::size_t>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(from),
                                                     text_.begin() + static_cast<std::ptrdiff_t>(x), '\n'));
    counted_.insert(it, {x, line});
    return line;
  }
  Range widen(Range r) const {
    const std::size_t begin = begin_of(r.begin);
    return {begin, std::max(end_after(r.end), begin)};
  }
  Range expand(Range r, std::size_t by) const {
    return {r.begin > by ? r.begin - by : 0, std::min(text_.size(), r.end + std::min(by, text_.size()))};
  }

  // A line a wrapped base64 run may continue onto (decode/decoders.cpp,
  // next_wrapped_line): blanks, then only base64 characters and `=`. Taken
  // loosely (`\r` anywhere): a looser test only makes windows larger.
  bool base64_line(std::size_t at) const {
    const std::size_t end = end_after(at + 1);
    std::size_t i = at;
    while (i < end && (text_[i] == ' ' || text_[i] == '\t')) ++i;
    std::size_t characters = 0;
    for (; i < end; ++i) {
      const char c = text_[i];
      if (c == '\n' || c == '\r') continue;
      const bool base64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                          c == '/' || c == '=';
      if (!base64) return false;
      ++characters;
    }
    return characters > 0;
  }
  // Grows whole lines `r` until no wrapped base64 run can cross its edges.
  Range grow(Range r) const {
    grow_begin(r);
    grow_end(r);
    return r;
  }
  void grow_begin(Range& r) const {
    while (r.begin > 0 && base64_line(r.begin)) r.begin = begin_of(r.begin - 1);
  }
  void grow_end(Range& r) const {
    while (r.end < text_.size() && base64_line(r.end)) r.end = end_after(r.end + 1);
  }
  // Ranges of whole lines sorted by their start, merged where they meet,
  // then grown: each stretch of base64 lines is walked once, however many
  // ranges lie in it (a file of 10,000 small changes in one long block).
  std::vector<Range> grow_all(const std::vector<Range>& ranges) const {
    std::vector<Range> out;
    for (Range r : ranges) {
      if (!out.empty() && r.begin <= out.back().end) {
        out.back().end = std::max(out.back().end, r.end);
        grow_end(out.back());
        continue;
      }
      r = grow(r);
      if (!out.empty() && r.begin <= out.back().end) out.back().end = std::max(out.back().end, r.end);
      else out.push_back(r);
    }
    return out;
  }
  // Everything a finding at `span` depends on.
  Range context(Range span, std::size_t reach) const { return grow(widen(expand(span, reach))); }

  Location location_of(Range span) const {
    const std::size_t line = index(span.begin), end_line = index(span.end - 1);
    return {line + 1, span.begin - begin_of(span.begin) + 1, end_line + 1, span.end - 1 - begin_of(span.end - 1) + 1};
  }

 private:
  std::string_view text_;
  mutable std::vector<std::pair<std::size_t, std::size_t>> counted_;  // (offset, line breaks before it), sorted
};

bool holds_auth_header(std::string_view text) {
  constexpr std::string_view kHeader = "[auth]";
  for (std::size_t at = text.find('['); at != std::string_view::npos; at = text.find('[', at + 1)) {
    if (at + kHeader.size() > text.size()) return false;
    bool same = true;
    for (std::size_t i = 1; i < kHeader.size() && same; ++i) {
      const char c = text[at + i];
      same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c) == kHeader[i];
    }
    if (same) return true;
  }
  return false;
}

bool has_bom(std::string_view bytes) {
  return bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'));
}

TextKind text_kind(std::string_view bytes) {
  if (has_bom(bytes) || decode::holds_archive(bytes)) return TextKind::other;
  if (bytes.empty() || !std::memchr(bytes.data(), '\0', bytes.size())) return TextKind::plain;
  if (!looks_binary(bytes) || utf16_without_bom_to_utf8(bytes)) return TextKind::other;
  return TextKind::binary;
}

// A window scanned as its own text reads like its blob: no NUL in a plain
// blob's; in a binary blob's, no UTF-16 text to transcode (its findings are
// marked binary afterwards, as the blob's are, whatever its first 8000 bytes hold).
bool window_reads_like(std::string_view window, TextKind kind) {
  if (kind == TextKind::plain) return text_kind(window) == TextKind::plain;
  return !has_bom(window) && !decode::holds_archive(window) && !utf16_without_bom_to_utf8(window);
}

// A chain of encodings only: no archive format or entry, which the archive
// budget of the whole scan decides.
bool plain_chain(const Finding& f) {
  for (const std::string& step : f.decoded)
    if (step != "base64" && step != "base64url" && step != "percent" && step != "escape" && step != "joined" &&
        step != "utf-16")
      return false;
  return true;
}

bool names_sentry(std::string_view path) {
  std::string lower(path);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("sentry") != std::string::npos;
}

// Every decision the matcher takes from the path (match/checks.cpp).
bool same_path_rules(std::string_view a, std::string_view b) {
  return a == b || (is_lockfile_path(a) == is_lockfile_path(b) && is_checksum_path(a) == is_checksum_path(b) &&
                    names_sentry(a) == names_sentry(b));
}

// The state for a blob's deltas when its result is exact; null otherwise.
std::shared_ptr<const void> exact_state(const Chunk& chunk, TextKind kind, const LineStarts& lines,
                                        const std::vector<Finding>& findings) {
  auto state = std::make_shared<BaseScan>();
  state->path = chunk.provenance.path;
  state->size = chunk.data.size();
  state->auth_header = holds_auth_header(chunk.data);
  state->kind = kind;
  for (const Finding& f : findings) {
    const auto span = lines.span_of(f.location);
    if (!span || span->end - span->begin > kMaxSpan || !plain_chain(f) || f.binary != (kind == TextKind::binary))
      return nullptr;
    state->spans.push_back(*span);
    state->findings.push_back(f);
  }
  return state;
}

using Key = std::tuple<std::string, std::string, std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t,
                       std::vector<std::string>, bool, bool, std::string>;
std::vector<Key> keys(const std::vector<Finding>& findings) {
  std::vector<Key> out;
  for (const Finding& f : findings)
    out.emplace_back(f.rule_id, f.secret, f.location.line, f.location.column, f.location.end_line,
                     f.location.end_column, f.decoded, f.allowed_inline, f.binary, f.source.path);
  std::sort(out.begin(), out.end());
  return out;
}

// The delta path. nullopt: scan the blob whole.
// Windows cannot be smaller than the inserts and op boundaries +- (2 x reach
// + 512): true when that alone covers most of a blob of `size` bytes. Read
// straight from the ops, before anything else is looked at (a binary file
// rewritten throughout has 100,000 of them; 8,000 blobs of sentry-python
// stop here).
bool ops_too_wide(std::span<const pack::DeltaOp> ops, std::size_t size, std::size_t reach) {
  const std::size_t margin = 2 * reach + kMaxSpan;
  const double limit = kMaxWindowShare * static_cast<double>(size);
  std::size_t covered = 0, reach_end = 0;
  auto add = [&](std::size_t begin, std::size_t end) {
    const std::size_t from = std::max(reach_end, begin > margin ? begin - margin : 0);
    const std::size_t to = std::min(size, end + margin);
    if (to > from) covered += to - from;
    reach_end = std::max(reach_end, to);
    return static_cast<double>(covered) > limit;
  };
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const pack::DeltaOp& op = ops[i];
    if (i > 0 && add(op.target_begin > 0 ? op.target_begin - 1 : 0, op.target_begin + 1)) return true;
    if (!op.copy && add(op.target_begin, op.target_end)) return true;
  }
  return false;
}

std::optional<std::vector<Finding>> scan_windows(const Scanner& scanner, unsigned worker, const Chunk& chunk,
                                                 const BaseScan& base,
                                                 std::span<const pack::DeltaOp> ops, std::size_t reach,
                                                 std::vector<Range>& spans, bool& too_wide,
                                                 DeltaScanCounters& counters) {
  const std::size_t size = chunk.data.size();
  // Dirty bytes: inserts, both bytes around every boundary between two ops
  // (ops are merged, so each boundary is a change; the byte before a line
  // decides where that line starts), and an edge of the blob where the base
  // went on (a finding there read bytes the target lacks).
  std::vector<Range> dirty;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const pack::DeltaOp& op = ops[i];
    if (op.target_end > size || op.target_begin >= op.target_end) return std::nullopt;
    if (i > 0 && op.target_begin != ops[i - 1].target_end) return std::nullopt;
    if (!op.copy) dirty.push_back({op.target_begin, op.target_end});
    if (i > 0) dirty.push_back({op.target_begin - 1, std::min(size, op.target_begin + 1)});
  }
  if (ops.empty() || ops.front().target_begin != 0 || ops.back().target_end != size) return std::nullopt;
  if (!ops.front().copy || ops.front().base_begin != 0) dirty.push_back({0, 1});
  if (!ops.back().copy || ops.back().base_begin + (ops.back().target_end - ops.back().target_begin) != base.size)
    dirty.push_back({size - 1, size});

  const Lines lines(chunk.data);
  // Cores, then windows: whole lines, sorted, merged where they meet, then
  // grown over wrapped base64. Growing only adds, so windows that cover
  // most of the blob before it end the attempt early.
  auto merged = [](std::vector<Range> ranges) {
    std::sort(ranges.begin(), ranges.end(), [](Range a, Range b) { return a.begin < b.begin; });
    std::vector<Range> out;
    for (const Range r : ranges) {
      if (!out.empty() && r.begin <= out.back().end) out.back().end = std::max(out.back().end, r.end);
      else out.push_back(r);
    }
    return out;
  };
  auto windows_around = [&](const std::vector<Range>& around) {
    std::vector<Range> out;
    for (const Range a : around) out.push_back(lines.widen(lines.expand(a, reach + kMaxSpan)));
    return merged(std::move(out));
  };
  auto too_much = [&](const std::vector<Range>& ranges) {
    std::size_t bytes = 0;
    for (const Range w : ranges) bytes += w.end - w.begin;
    return static_cast<double>(bytes) > kMaxWindowShare * static_cast<double>(size);
  };
  std::vector<Range> cores;
  for (const Range d : dirty) cores.push_back(lines.widen(lines.expand(lines.widen(d), reach)));
  cores = merged(std::move(cores));
  if (too_much(windows_around(cores))) {
    too_wide = true;
    return std::nullopt;
  }
  cores = lines.grow_all(cores);
  const std::vector<Range> windows = lines.grow_all(windows_around(cores));
  std::size_t window_bytes = 0;
  for (const Range w : windows) window_bytes += w.end - w.begin;
  if (too_much(windows)) {
    too_wide = true;
    return std::nullopt;
  }

  auto in_core = [&](Range span) {
    auto it = std::upper_bound(cores.begin(), cores.end(), span.begin, [](std::size_t at, Range c) { return at < c.begin; });
    if (it != cores.end() && overlaps(*it, span)) return true;
    return it != cores.begin() && overlaps(*std::prev(it), span);
  };

  struct Placed {
    Range span;
    Finding finding;
  };
  std::vector<Placed> placed;
  for (const Range w : windows) {
    const std::string_view text = chunk.data.substr(w.begin, w.end - w.begin);
    if (!window_reads_like(text, base.kind)) return std::nullopt;
    Chunk part;
    part.data = text;
    part.provenance = chunk.provenance;
    ScanOutput out = scanner.scan(worker, part);
    if (!out.issues.empty()) return std::nullopt;
    const LineStarts local(text);
    std::optional<std::size_t> first_line;  // counted only for a finding kept: counting is most of the cost
    for (Finding& f : out.findings) {
      const auto local_span = local.span_of(f.location);
      if (!local_span || !plain_chain(f) || local_span->end - local_span->begin > kMaxSpan) return std::nullopt;
      f.binary = base.kind == TextKind::binary;
      const Range span{w.begin + local_span->begin, w.begin + local_span->end};
      if (!in_core(span)) continue;  // a copy's: the base's finding is moved instead
      if (!inside(lines.context(span, reach), w)) return std::nullopt;
      if (!first_line) first_line = lines.index(w.begin);
      f.location.line += *first_line;
      f.location.end_line += *first_line;
      placed.push_back({span, std::move(f)});
    }
  }
  std::uint64_t reused = 0;

  for (std::size_t g = 0; g < base.findings.size(); ++g) {
    const Range from = base.spans[g];
    for (const pack::DeltaOp& op : ops) {
      if (!op.copy) continue;
      const std::size_t length = op.target_end - op.target_begin;
      if (from.begin < op.base_begin || from.end > op.base_begin + length) continue;
      const Range span{op.target_begin + (from.begin - op.base_begin), op.target_begin + (from.end - op.base_begin)};
      if (in_core(span)) continue;  // the window scan found it, or found that it is gone
      // Outside every core its whole context is this copy (see the header);
      // checked all the same. Its first line starts after a line break
      // that must be in the copy too, unless both start their blob; where
      // it meets the end of the blob, the copy must end the base as well.
      const Range context = lines.context(span, reach);
      const bool start_ok = context.begin > op.target_begin || (op.target_begin == 0 && op.base_begin == 0);
      const bool end_ok = context.end < size || op.base_begin + length == base.size;
      if (!inside(context, {op.target_begin, op.target_end}) || !start_ok || !end_ok) return std::nullopt;
      Finding f = base.findings[g];
      f.location = lines.location_of(span);
      f.source = chunk.provenance;
      placed.push_back({span, std::move(f)});
      ++reused;
    }
  }
  counters.window_bytes.fetch_add(window_bytes, std::memory_order_relaxed);
  counters.reused.fetch_add(reused, std::memory_order_relaxed);
  std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    return std::tie(a.span.begin, a.span.end, a.finding.rule_id, a.finding.secret) <
           std::tie(b.span.begin, b.span.end, b.finding.rule_id, b.finding.secret);
  });
  std::vector<Finding> findings;
  for (Placed& p : placed) {
    spans.push_back(p.span);
    findings.push_back(std::move(p.finding));
  }
  return findings;
}

// True when the whole regex is its `(?P<secret>...)` group: what it matches
// is the secret, read from the secret's own bytes (plus the boundary bytes
// the matcher checks, within kCheckReach).
bool secret_only(std::string_view regex) {
  return regex.starts_with("(?P<secret>") && secret_group_closes(regex);
}

}  // namespace

std::size_t context_reach(const Matcher& matcher) {
  std::size_t reach = kCheckReach;
  for (const Rule& rule : matcher.rules())
    for (const RulePattern& pattern : rule.patterns)
      if (!secret_only(pattern.confirm)) reach = std::max(reach, pattern.window + kCheckReach);
  return reach;
}

std::vector<Finding> scan_blob_delta(const Scanner& scanner, ScanSink& sink, unsigned worker, const Chunk& chunk,
                                     pack::BlobDelta* delta, DeltaScan mode, std::size_t reach,
                                     DeltaScanCounters& counters) {
  counters.blob_bytes.fetch_add(chunk.data.size(), std::memory_order_relaxed);
  std::optional<TextKind> kind;  // found once, when needed
  auto kind_of_chunk = [&] {
    if (!kind) kind = text_kind(chunk.data);
    return *kind;
  };
  auto full = [&](bool keep_state) {
    ScanOutput out = scanner.scan(worker, chunk);
    // Only a blob with deltas based on it has a slot to fill (pack::BlobDelta).
    const bool exact = keep_state && delta && delta->state && out.issues.empty() && kind_of_chunk() != TextKind::other;
    for (auto& issue : out.issues) sink.add_issue(std::move(issue));
    if (exact)
      *delta->state = exact_state(chunk, kind_of_chunk(), LineStarts(out.findings.empty() ? std::string_view() : chunk.data),
                                  out.findings);
    return std::move(out.findings);
  };
  sink.count_scanned(chunk.data.size());
  if (mode == DeltaScan::off || !delta) {
    counters.full_blobs.fetch_add(1, std::memory_order_relaxed);
    return full(mode != DeltaScan::off && delta);
  }
  const BaseScan* base = delta->base_state && *delta->base_state
                             ? static_cast<const BaseScan*>(delta->base_state->get())
                             : nullptr;
  if (!base || chunk.data.size() < kMinDeltaBlob || !same_path_rules(base->path, chunk.provenance.path)) {
    counters.full_blobs.fetch_add(1, std::memory_order_relaxed);
    (!base ? counters.no_base : chunk.data.size() < kMinDeltaBlob ? counters.small : counters.not_plain)
        .fetch_add(1, std::memory_order_relaxed);
    if (!base) counters.no_base_bytes.fetch_add(chunk.data.size(), std::memory_order_relaxed);
    return full(true);
  }
  // The bound first, with the smaller reach (a lower bound either way): it
  // needs nothing but the ops, and spares a blob rewritten throughout the
  // look at its bytes.
  if (ops_too_wide(delta->ops, chunk.data.size(), reach)) {
    counters.too_wide.fetch_add(1, std::memory_order_relaxed);
    counters.too_wide_bytes.fetch_add(chunk.data.size(), std::memory_order_relaxed);
    counters.full_blobs.fetch_add(1, std::memory_order_relaxed);
    return full(true);
  }
  if (kind_of_chunk() == TextKind::other || kind_of_chunk() != base->kind) {
    counters.not_plain.fetch_add(1, std::memory_order_relaxed);
    counters.full_blobs.fetch_add(1, std::memory_order_relaxed);
    return full(true);
  }
  const bool auth_header = holds_auth_header(chunk.data);
  std::vector<Range> spans;
  bool too_wide = false;
  std::optional<std::vector<Finding>> windowed =
      scan_windows(scanner, worker, chunk, *base, delta->ops,
                   base->auth_header || auth_header ? std::max(reach, kAuthReach) : reach, spans, too_wide, counters);
  if (!windowed) {
    (too_wide ? counters.too_wide : counters.fallbacks).fetch_add(1, std::memory_order_relaxed);
    if (too_wide) counters.too_wide_bytes.fetch_add(chunk.data.size(), std::memory_order_relaxed);
    counters.full_blobs.fetch_add(1, std::memory_order_relaxed);
    return full(true);
  }
  counters.delta_blobs.fetch_add(1, std::memory_order_relaxed);
  counters.delta_bytes.fetch_add(chunk.data.size(), std::memory_order_relaxed);
  if (mode == DeltaScan::verify) {
    std::vector<Finding> whole = full(true);
    if (keys(whole) != keys(*windowed)) {
      counters.differences.fetch_add(1, std::memory_order_relaxed);
      sink.add_issue({ScanIssue::Kind::incomplete, chunk.provenance.blob,
                      fmt::format("delta scan differs from a full scan of this blob ({} findings against {}): report "
                                  "this with --delta-scan off",
                                  windowed->size(), whole.size())});
    }
    return whole;
  }
  if (delta->state) {
    auto state = std::make_shared<BaseScan>();
    state->path = chunk.provenance.path;
    state->size = chunk.data.size();
    state->auth_header = auth_header;
    state->kind = kind_of_chunk();
    state->findings = *windowed;
    state->spans = std::move(spans);
    *delta->state = std::move(state);
  }
  return std::move(*windowed);
}

std::string describe(const DeltaScanCounters& counters) {
  return fmt::format(
      "delta scan: {} blobs scanned by windows ({} bytes read of their {}; all blobs: {} bytes), {} scanned whole "
      "({} without an exact base ({} bytes), {} small, {} not plain text or other path rules, {} with windows too "
      "wide ({} bytes), {} after a window check failed), {} findings moved from a base, {} differed from a full scan",
      counters.delta_blobs.load(), counters.window_bytes.load(), counters.delta_bytes.load(),
      counters.blob_bytes.load(), counters.full_blobs.load(), counters.no_base.load(),
      counters.no_base_bytes.load(), counters.small.load(), counters.not_plain.load(), counters.too_wide.load(),
      counters.too_wide_bytes.load(), counters.fallbacks.load(), counters.reused.load(),
      counters.differences.load());
}

}  // namespace sentryscan::git
