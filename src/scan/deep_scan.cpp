#include "scan/deep_scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>

#include "core/secret_hash.h"
#include "decode/decoders.h"
#include "decode/joined_literals.h"
#include "decode/survey.h"
#include "decode/transcode.h"

namespace sentryscan::decode {

// A finding in some text, before it has a line and column: `span` is in the
// text being scanned, `finding.decoded` the chain below that text.
struct DeepScanner::Hit {
  Span span;
  Finding finding;
};

namespace {

constexpr std::string_view kInlineAllow = "sentryscan:allow";

bool overlaps(Span a, Span b) { return a.begin < b.end && b.begin < a.end; }

template <class Hit>
bool by_place(const Hit& a, const Hit& b) {
  return std::tie(a.span.begin, a.span.end) < std::tie(b.span.begin, b.span.end);
}
bool inside(Span inner, Span outer) { return inner.begin >= outer.begin && inner.end <= outer.end; }

// The plain hits that start at or before `span` ends and may reach into it:
// the matcher returns them sorted by start, and spans rarely overlap, so a
// few steps back from the binary search suffice (files may hold thousands).
template <class Hits, class Test>
bool any_plain_near(const Hits& plain, Span span, Test test) {
  auto it = std::lower_bound(plain.begin(), plain.end(), span.end,
                             [](const auto& hit, std::size_t end) { return hit.span.begin < end; });
  for (int steps = 0; it != plain.begin() && steps < 8; ++steps) {
    --it;
    if (test(it->span)) return true;
  }
  return false;
}

// 1-based line and column of many offsets, in one pass over the text.
class LineIndex {
 public:
  LineIndex(std::string_view text, std::vector<std::size_t> offsets) : offsets_(std::move(offsets)) {
    std::sort(offsets_.begin(), offsets_.end());
    offsets_.erase(std::unique(offsets_.begin(), offsets_.end()), offsets_.end());
    std::size_t pos = 0, line_start = 0;
    std::uint64_t line = 1;
    for (std::size_t offset : offsets_) {
      while (pos < offset) {
        const void* nl = std::memchr(text.data() + pos, '\n', offset - pos);
        if (!nl) break;
        pos = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
        ++line;
        line_start = pos;
      }
      pos = std::max(pos, offset);
      positions_.push_back({line, line_start});
    }
  }

  // {line, column, start of that line}
  std::tuple<std::uint64_t, std::uint64_t, std::size_t> at(std::size_t offset) const {
    const auto it = std::lower_bound(offsets_.begin(), offsets_.end(), offset);
    const auto& [line, line_start] = positions_[static_cast<std::size_t>(it - offsets_.begin())];
    return {line, offset - line_start + 1, line_start};
  }

 private:
  std::vector<std::size_t> offsets_;
  std::vector<std::pair<std::uint64_t, std::size_t>> positions_;
};

// The marker on any line from line_start to the line holding `offset`: a
// finding spanning lines (a split literal, wrapped base64) is allowed from any of them.
bool line_allows(std::string_view text, std::size_t line_start, std::size_t offset) {
  std::size_t line_end = text.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = text.size();
  return text.substr(line_start, line_end - line_start).find(kInlineAllow) != std::string_view::npos;
}

std::string join_path(std::string_view outer, std::string_view inner) {
  return fmt::format("{}!{}", outer, inner);
}

// Inside a window of undone escapes, an escape that was already in the parent
// as written is the parent's business: the parent opens a window for it
// too. Following it here as well would double the work at every level
// (escape > percent > escape...). One order is kept so that a credential
// holding both kinds is still decoded: percent, then escapes.
// A joined window is the exception: an escape there may belong to a
// credential that only the join makes whole, and the parent never saw it so.
void drop_redundant_triggers(const DecodedText& source, Survey& survey) {
  if (source.encoding() == Encoding::joined) return;
  auto verbatim = [&source](std::size_t at) { return source.is_verbatim({at, at + 1}); };
  std::erase_if(survey.percents, verbatim);
  if (source.encoding() != Encoding::percent) std::erase_if(survey.backslashes, verbatim);
}

}  // namespace

// The finding of one match in `text`, its span moved back by `shift`.
DeepScanner::Hit DeepScanner::make_hit(std::string_view text, Match& match, std::size_t shift) const {
  const Rule& rule = matcher_.rules()[match.rule_index];
  Hit hit;
  hit.span = {match.begin - shift, match.end - shift};
  hit.finding.rule_id = rule.id;
  hit.finding.severity = rule.severity;
  hit.finding.description = rule.description;
  hit.finding.secret = std::string(text.substr(match.begin, match.end - match.begin));
  hit.finding.fingerprint = fingerprint(rule.id, hit.finding.secret);
  hit.finding.token = std::move(match.token);
  hit.finding.dsn = std::move(match.dsn);
  return hit;
}

DeepScanner::DeepScanner(const Matcher& matcher, Matcher::Scratch& scratch, const DeepScanLimits& limits)
    : matcher_(matcher), scratch_(scratch), limits_(limits) {}

std::vector<Finding> DeepScanner::scan(std::string_view data, const Provenance& provenance,
                                       std::vector<ScanIssue>& issues) {
  budget_ = ArchiveBudget{};
  budget_.input = data.size();
  issues_ = &issues;
  std::vector<Finding> out;
  scan_container(data, provenance, 0, out);
  return out;
}

void DeepScanner::report(std::string where, const ArchiveProblem& problem) {
  if (!problem.entry.empty()) where = join_path(where, problem.entry);
  issues_->push_back({problem.incomplete ? ScanIssue::Kind::incomplete : ScanIssue::Kind::warning, std::move(where),
                      problem.message});
}

// The findings of one pass over a container's own bytes, with where each lies
// in them (`spans` stays empty when UTF-16 was transcoded: no offsets then).
struct DeepScanner::RawPass {
  std::vector<Finding> findings;
  std::vector<Span> spans;
};

// The bytes of a container one expanded entry was read from (its stored or
// compressed data), and the findings its expansion added: expanded[first, last).
struct DeepScanner::Covered {
  Span raw;
  std::size_t first = 0;
  std::size_t last = 0;
};

// One secret found in a container's raw bytes and again by expanding an entry
// is one finding, kept in the entry (`outer.zip!inner`: its own line and
// column). The raw finding is dropped when it lies inside the bytes that
// entry was read from AND that entry yielded the same secret: a stored entry
// matches twice, raw and expanded, at one place. Matching on location as well
// as secret keeps distinct occurrences apart: the same secret in an entry and
// in text after the archive (or in an entry's name, or a zip comment, which
// lie outside any entry's data) stays two findings. A secret alone, or a
// secret per container, would merge those; a location alone would drop a
// different secret that only shares the bytes (an entry too large to expand).
void DeepScanner::keep_uncovered(RawPass& raw, std::vector<Covered> covered, const std::vector<Finding>& expanded,
                                 std::vector<Finding>& out) {
  if (covered.empty() || raw.spans.size() != raw.findings.size()) {
    std::move(raw.findings.begin(), raw.findings.end(), std::back_inserter(out));
    return;
  }
  std::sort(covered.begin(), covered.end(), [](const Covered& a, const Covered& b) { return a.raw.begin < b.raw.begin; });
  // The secrets of each covered entry, gathered when a raw finding first lies in it.
  std::vector<std::optional<std::unordered_set<std::string_view>>> secrets(covered.size());
  auto yielded = [&](std::size_t index, const std::string& secret) {
    auto& set = secrets[index];
    if (!set) {
      set.emplace();
      for (std::size_t i = covered[index].first; i < covered[index].last; ++i) set->insert(expanded[i].secret);
    }
    return set->contains(secret);
  };
  for (std::size_t i = 0; i < raw.findings.size(); ++i) {
    const Span span = raw.spans[i];
    // Entries' data do not overlap in an honest archive: the one starting
    // last before the finding holds it. A few steps back allow for a crafted
    // one; missing an overlap there only keeps a duplicate.
    auto it = std::upper_bound(covered.begin(), covered.end(), span.begin,
                               [](std::size_t at, const Covered& c) { return at < c.raw.begin; });
    bool same = false;
    for (int steps = 0; it != covered.begin() && steps < 8 && !same; ++steps) {
      --it;
      same = inside(span, it->raw) && yielded(static_cast<std::size_t>(it - covered.begin()), raw.findings[i].secret);
    }
    if (!same) out.push_back(std::move(raw.findings[i]));
  }
}

void DeepScanner::scan_container(std::string_view bytes, const Provenance& provenance, unsigned archive_depth,
                                 std::vector<Finding>& out, bool stream) {
  if (limits_.max_archive_depth == 0 || !(holds_archive(bytes) || (stream && holds_embedded(bytes)))) {
    scan_text_container(bytes, provenance, archive_depth, out);
    return;
  }
  std::vector<Finding> expanded;
  std::vector<Covered> covered;
  std::vector<TextField> texts;
  if (budget_.exhausted) {
    // the limit that stopped expansion has been reported
  } else if (archive_depth >= limits_.max_archive_depth) {
    report(provenance.path,
           {true, "", fmt::format("archive nested deeper than --max-archive-depth ({}): not expanded",
                                  limits_.max_archive_depth)});
  } else {
    expand(bytes, provenance, archive_depth, expanded, covered, texts);
  }
  // Every byte of an archive as it is, too: text after its end, names,
  // comments, a second tar after the first. Expanding only adds to this.
  RawPass raw;
  scan_raw(bytes, provenance, archive_depth, texts, raw);
  keep_uncovered(raw, covered, expanded, out);
  std::move(expanded.begin(), expanded.end(), std::back_inserter(out));
}

void DeepScanner::scan_raw(std::string_view bytes, const Provenance& provenance, unsigned archive_depth,
                           const std::vector<TextField>& texts, RawPass& pass) {
  scan_text_container(bytes, provenance, archive_depth, pass.findings, &pass.spans, &texts);
}

void DeepScanner::expand(std::string_view bytes, const Provenance& provenance, unsigned archive_depth,
                         std::vector<Finding>& expanded, std::vector<Covered>& covered, std::vector<TextField>& texts) {
  // A compressed tar's files lie in its decompressed bytes, handed after them.
  const bool compressed = compressed_stream(sniff_archive(bytes));
  std::vector<Covered> in_stream;
  ExpandResult result = expand_archive(bytes, provenance.path, limits_.archive, budget_, [&](const ArchiveEntry& entry) {
    Provenance inner = provenance;
    inner.path = join_path(provenance.path, entry.name);
    if (entry.whole_stream) {
      // Handed after its files: their raw places are in it.
      RawPass stream;
      scan_raw(entry.data, inner, archive_depth, entry.texts ? *entry.texts : std::vector<TextField>{}, stream);
      std::vector<Finding> kept;
      keep_uncovered(stream, std::move(in_stream), expanded, kept);
      in_stream.clear();
      std::move(kept.begin(), kept.end(), std::back_inserter(expanded));
      return;
    }
    const std::size_t first = expanded.size();
    scan_container(entry.data, inner, archive_depth + 1, expanded, entry.single_stream);
    if (entry.raw_end > entry.raw_begin)
      (entry.in_stream ? in_stream : covered).push_back({{entry.raw_begin, entry.raw_end}, first, expanded.size()});
  });
  for (const ArchiveProblem& problem : result.problems) report(provenance.path, problem);
  texts = std::move(result.texts);
  // Compressed bytes encode everything that came out of them (a deflate
  // block may keep incompressible text as it is): one region for all.
  if (compressed) covered = {{{0, bytes.size()}, 0, expanded.size()}};
}

void DeepScanner::scan_text_container(std::string_view bytes, const Provenance& provenance, unsigned archive_depth,
                                      std::vector<Finding>& out, std::vector<Span>* raw_spans,
                                      const std::vector<TextField>* texts) {
  std::string_view text = bytes;
  const std::optional<std::string> transcoded = utf16_to_utf8(text);
  if (transcoded) text = *transcoded;
  const bool binary = !transcoded && looks_binary(text);

  std::vector<Hit> hits = scan_text(text, provenance.path, limits_.max_decode_depth, archive_depth, nullptr);
  std::sort(hits.begin(), hits.end(), by_place<Hit>);
  if (texts && !texts->empty() && !transcoded) {
    add_text_field_hits(text, *texts, provenance.path, archive_depth, hits);
    std::sort(hits.begin(), hits.end(), by_place<Hit>);
  }
  const std::size_t first = out.size();
  add_findings(text, hits, provenance, binary, raw_spans != nullptr, out);
  if (raw_spans && !transcoded)
    for (const Hit& hit : hits) raw_spans->push_back(hit.span);
  // Only bytes with a NUL near their start (known already: `binary`) may be
  // UTF-16 without a byte order mark: plain text pays nothing for the look.
  if (binary) scan_utf16_without_bom(bytes, provenance, archive_depth, first, out, raw_spans);
}

// UTF-16 without a byte order mark is scanned as the text it is, in addition
// to its bytes (every byte is scanned as it is at least once). Its findings
// carry `utf-16` in their chain and the lines of the text.
void DeepScanner::scan_utf16_without_bom(std::string_view bytes, const Provenance& provenance, unsigned archive_depth,
                                         std::size_t raw_first, std::vector<Finding>& out,
                                         std::vector<Span>* raw_spans) {
  const std::optional<Utf16Text> utf16 = utf16_without_bom_to_utf8(bytes);
  if (!utf16) return;
  std::vector<Hit> hits = scan_text(utf16->text, provenance.path, limits_.max_decode_depth, archive_depth, nullptr);
  std::unordered_set<std::string> raw;
  for (std::size_t i = raw_first; i < out.size(); ++i) raw.insert(out[i].fingerprint);
  std::erase_if(hits, [&raw](const Hit& hit) { return raw.contains(hit.finding.fingerprint); });
  if (hits.empty()) return;
  for (Hit& hit : hits) hit.finding.decoded.insert(hit.finding.decoded.begin(), "utf-16");
  std::sort(hits.begin(), hits.end(), by_place<Hit>);
  add_findings(utf16->text, hits, provenance, false, raw_spans != nullptr, out);
  // In a container's raw bytes they lie in the bytes the text was read from.
  if (raw_spans) raw_spans->insert(raw_spans->end(), hits.size(), Span{utf16->begin, utf16->end});
}

// Hits in `text` (sorted by place) as findings with lines and columns.
void DeepScanner::add_findings(std::string_view text, std::vector<Hit>& hits, const Provenance& provenance, bool binary,
                               bool raw_bytes, std::vector<Finding>& out) {
  if (hits.empty()) return;
  std::vector<std::size_t> offsets;
  for (const Hit& hit : hits) offsets.insert(offsets.end(), {hit.span.begin, hit.span.end - 1});
  const LineIndex lines(text, std::move(offsets));
  // Hits arrive sorted by start, so several on one line share one search for
  // the allow marker: a minified file with thousands of tokens on a single
  // line must not rescan the line for each of them.
  std::size_t allow_line_start = std::string_view::npos;
  bool allow_line = false;
  for (Hit& hit : hits) {
    Finding finding = std::move(hit.finding);
    const auto [line, column, line_start] = lines.at(hit.span.begin);
    const auto [end_line, end_column, end_line_start] = lines.at(hit.span.end - 1);
    finding.location = {line, column, end_line, end_column};
    if (line_start != allow_line_start) {
      allow_line_start = line_start;
      allow_line = line_allows(text, line_start, hit.span.begin);
    }
    const bool allowed = end_line == line ? allow_line : line_allows(text, line_start, hit.span.end - 1);
    // In an archive's raw bytes a "line" runs across headers and entries:
    // the tail of one file could allow a secret in the next name or after
    // the archive. Entries have real lines; the raw bytes allow nothing.
    finding.allowed_inline = allowed && !raw_bytes;
    finding.source = provenance;
    finding.binary = binary;
    out.push_back(std::move(finding));
  }
}

// Names and comments of an archive, scanned as the text they are and located
// in its bytes. All of them in one scan (joined by newlines): an archive may
// hold 100,000 names. What the raw pass found at that place already is not added.
void DeepScanner::add_text_field_hits(std::string_view text, const std::vector<TextField>& fields, std::string_view path,
                                      unsigned archive_depth, std::vector<Hit>& hits) {
  std::string joined;
  std::vector<std::size_t> starts;
  starts.reserve(fields.size());
  for (const TextField& field : fields) {
    starts.push_back(joined.size());
    joined += field.text;
    joined += '\n';
  }
  std::vector<Hit> added;
  std::set<std::pair<std::size_t, std::string>> places;
  for (Hit& hit : scan_text(joined, path, limits_.max_decode_depth, archive_depth, nullptr)) {
    const std::size_t index = static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), hit.span.begin) - starts.begin()) - 1;
    const TextField& field = fields[index];
    if (field.begin >= text.size()) continue;
    const std::size_t offset = hit.span.begin - starts[index];
    Span at{field.begin, field.begin + 1};
    if (field.end - field.begin == field.text.size() && field.end <= text.size())
      at = {field.begin + offset, field.begin + std::min(hit.span.end - starts[index], field.text.size())};
    if (any_plain_near(hits, at, [&](Span p) { return overlaps(p, at); })) continue;
    // A name found twice at one place (a tar path that is also its link target).
    if (!places.emplace(at.begin, hit.finding.secret).second) continue;
    hit.span = at;
    added.push_back(std::move(hit));
  }
  std::move(added.begin(), added.end(), std::back_inserter(hits));
}

std::vector<DeepScanner::Hit> DeepScanner::scan_text(std::string_view text, std::string_view path,
                                                     unsigned decode_depth, unsigned archive_depth,
                                                     const DecodedText* source) {
  std::vector<Hit> plain;
  if (decode_depth == 0) {
    for (Match& match : matcher_.find(text, MatchContext{path}, scratch_)) plain.push_back(make_hit(text, match, 0));
    return plain;
  }
  // The survey first: its hex runs let the matcher leave out the prefilters
  // that need 32 or 64 hex digits in a row (Hyperscan's time on the release
  // tree: -60 %, bench/RESULTS.md).
  Base64RunFinder finder(text);
  Survey survey = survey_text(text, kMinBase64Run, [&finder](const Survey::Run& run) { finder.add(run); });
  const HexRun hex = survey.hex_run_64 ? HexRun::unknown : survey.hex_run_32 ? HexRun::below_64 : HexRun::below_32;
  for (Match& match : matcher_.find(text, MatchContext{path}, scratch_, hex)) plain.push_back(make_hit(text, match, 0));
  if (source) drop_redundant_triggers(*source, survey);
  std::vector<Hit> decoded;
  if (!finder.runs().empty())
    scan_base64(finder.runs(), text, path, decode_depth, archive_depth, source, plain, decoded);
  auto scan_window = [&](const DecodedText& window) {
    // Percent-encoded bytes of an archive, a stream or UTF-16 text (a zip in
    // a query string): expanded like base64 that decodes to one, found at the window.
    if (window.encoding() == Encoding::percent && holds_embedded(window.text())) {
      std::unordered_set<std::string> fingerprints;
      for (Hit& hit : scan_embedded_archive(window, path, archive_depth)) {
        if (!fingerprints.insert(hit.finding.fingerprint).second) continue;
        hit.span = window.parent_span();
        hit.finding.decoded.insert(hit.finding.decoded.begin(), std::string(encoding_name(window.encoding())));
        decoded.push_back(std::move(hit));
      }
    }
    // Percent-encoded UTF-16 without a byte order mark (`%00` after each
    // character): scanned as the text it is, found at the window.
    if (window.encoding() == Encoding::percent && std::memchr(window.text().data(), '\0', window.text().size())) {
      if (const std::optional<Utf16Text> utf16 = utf16_without_bom_to_utf8(window.text())) {
        std::unordered_set<std::string> fingerprints;
        for (Hit& hit : scan_text(utf16->text, path, decode_depth - 1, archive_depth, nullptr)) {
          if (!fingerprints.insert(hit.finding.fingerprint).second) continue;
          hit.span = window.parent_span();
          hit.finding.decoded.insert(hit.finding.decoded.begin(), {"percent", "utf-16"});
          decoded.push_back(std::move(hit));
        }
      }
    }
    for (Hit& hit : scan_text(window.text(), path, decode_depth - 1, archive_depth, &window)) {
      // What the window holds as written was matched in `text` already. Not
      // so for base64 decoded in the window: the escapes around it (a `%2B`
      // in percent-encoded base64) cut the run apart in `text`, so there it
      // was never decoded whole, even where the credential's own characters
      // hold no escape.
      if (hit.finding.decoded.empty() && window.is_verbatim(hit.span)) continue;
      hit.span = window.to_parent(hit.span);
      hit.finding.decoded.insert(hit.finding.decoded.begin(), std::string(encoding_name(window.encoding())));
      decoded.push_back(std::move(hit));
    }
  };
  if (!survey.percents.empty()) undo_percent_encoding(text, survey.percents, scan_window);
  if (!survey.backslashes.empty()) undo_string_escapes(text, survey.backslashes, scan_window);
  // Literals are joined in every text, decoded ones too: code in a JSON
  // string, or a literal holding code with its own literals (joined again,
  // within --max-decode-depth). Only windows with a join are handed over.
  if (!survey.keywords.empty()) join_literals(text, survey.keywords, scan_window);

  // A secret found as written is not found again in decoded form (a
  // percent-encoded DSN matches plain and decoded), nor twice at one place.
  std::stable_sort(decoded.begin(), decoded.end(), [](const Hit& a, const Hit& b) {
    return std::tie(a.span.begin, a.span.end) < std::tie(b.span.begin, b.span.end);
  });
  std::vector<Hit> kept;
  for (Hit& hit : decoded) {
    if (any_plain_near(plain, hit.span, [&](Span p) { return overlaps(p, hit.span); })) continue;
    bool seen = false;
    for (auto it = kept.rbegin(); it != kept.rend() && it - kept.rbegin() < 8 && !seen; ++it)
      seen = it->finding.fingerprint == hit.finding.fingerprint && overlaps(it->span, hit.span);
    if (!seen) kept.push_back(std::move(hit));
  }
  for (Hit& hit : kept) plain.push_back(std::move(hit));
  return plain;
}

void DeepScanner::scan_base64(const std::vector<Base64Run>& runs, std::string_view text, std::string_view path,
                              unsigned decode_depth, unsigned archive_depth, const DecodedText* source,
                              const std::vector<Hit>& plain, std::vector<Hit>& decoded) {
  for (const Base64Run& run : runs) {
    // An org token's payload is base64 of its own metadata: nothing more to find.
    if (any_plain_near(plain, run.span, [&](Span p) { return inside(run.span, p); })) continue;
    // A run the parent holds as written, with the same characters either
    // side, is the parent's run: it was decoded there. When an undone escape
    // borders it (`%3D` before base64), the parent's run started elsewhere
    // (at the `3D`) and decoded to garbage: this one is decoded here.
    const Span bordered{run.span.begin > 0 ? run.span.begin - 1 : 0, std::min(run.span.end + 1, text.size())};
    if (source && source->is_verbatim(bordered)) continue;
    DecodedText content;
    const Payload payload = decode_base64_run(text, run, content);
    if (payload == Payload::garbage) continue;
    std::vector<Hit> inner;
    if (payload == Payload::packed) {
      inner = scan_embedded_archive(content, path, archive_depth);
    } else if (payload == Payload::utf16) {
      // Transcoded text has no byte offsets in the run: found at the whole run.
      std::optional<std::string> utf8 = utf16_to_utf8(content.text());
      if (!utf8)
        if (std::optional<Utf16Text> bare = utf16_without_bom_to_utf8(content.text())) utf8 = std::move(bare->text);
      inner = scan_text(utf8.value_or(""), path, decode_depth - 1, archive_depth, nullptr);
      for (Hit& hit : inner) hit.finding.decoded.insert(hit.finding.decoded.begin(), "utf-16");
    } else {
      inner = scan_text(content.text(), path, decode_depth - 1, archive_depth, nullptr);
      for (Hit& hit : scan_in_place(text, run.span, content.text(), path)) {
        const bool known = std::any_of(inner.begin(), inner.end(),
                                       [&](const Hit& other) { return other.finding.fingerprint == hit.finding.fingerprint; });
        if (!known) inner.push_back(std::move(hit));
      }
    }
    const bool whole_run = payload == Payload::packed || payload == Payload::utf16;
    // One blob of base64 names each secret once, however often it holds it.
    std::unordered_set<std::string> fingerprints;
    std::stable_sort(inner.begin(), inner.end(),
                     [](const Hit& a, const Hit& b) { return a.finding.decoded.size() < b.finding.decoded.size(); });
    for (Hit& hit : inner) {
      if (!fingerprints.insert(hit.finding.fingerprint).second) continue;
      hit.span = whole_run ? run.span : content.to_parent(hit.span);
      hit.finding.decoded.insert(hit.finding.decoded.begin(), std::string(encoding_name(run.encoding)));
      decoded.push_back(std::move(hit));
    }
  }
}

// A value encoded on its own has its name outside the run, in the parent:
// a Kubernetes Secret's `data:` entry `SENTRY_AUTH_TOKEN: <base64 of the 64
// hex>`. Such a value (one line, a line break at its end allowed, at most
// kMaxInPlaceValue bytes, 32 hex digits in a row) is matched in place: in
// the parent's text around the run, as much of it as the context checks
// read (2 KiB before, 512 bytes after: match/checks.cpp), with the run
// replaced by what it decodes to. Only matches inside the value count;
// spans are in the value.
std::vector<DeepScanner::Hit> DeepScanner::scan_in_place(std::string_view text, Span run, std::string_view value,
                                                         std::string_view path) {
  constexpr std::size_t kMaxInPlaceValue = 512, kBefore = 2048, kAfter = 512;
  std::string_view line = value;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty() || value.size() > kMaxInPlaceValue || line.find_first_of("\r\n") != std::string_view::npos) return {};
  // Only unprefixed credentials (32 or 64 hex) need a name outside the value;
  // the others carry their own prefix or key. Other values (URLs, digests
  // shorter than 32 hex, words) are not matched again.
  std::size_t hex_run = 0, longest = 0;
  for (const char c : line) {
    hex_run = std::isxdigit(static_cast<unsigned char>(c)) ? hex_run + 1 : 0;
    longest = std::max(longest, hex_run);
  }
  if (longest < 32) return {};
  const std::size_t from = run.begin > kBefore ? run.begin - kBefore : 0;
  const std::size_t to = std::min(text.size(), run.end + kAfter);
  std::string spliced;
  spliced.reserve(to - from - (run.end - run.begin) + value.size());
  spliced.append(text.substr(from, run.begin - from));
  const std::size_t at = spliced.size();
  spliced.append(value);
  spliced.append(text.substr(run.end, to - run.end));
  std::vector<Hit> hits;
  for (Match& match : matcher_.find(spliced, MatchContext{path}, scratch_))
    if (match.begin >= at && match.end <= at + value.size()) hits.push_back(make_hit(spliced, match, at));
  return hits;
}

// Base64 that decodes to an archive or compressed stream (a gzipped Helm
// release, a zip in a data: URI): its findings are reported at the base64
// text, with the archive and entry in the chain ("zip:res/config.json").
std::vector<DeepScanner::Hit> DeepScanner::scan_embedded_archive(const DecodedText& decoded, std::string_view path,
                                                                 unsigned archive_depth) {
  if (limits_.max_archive_depth == 0 || budget_.exhausted) return {};
  if (archive_depth >= limits_.max_archive_depth) {
    report(std::string(path), {true, "", fmt::format("archive encoded in base64 nested deeper than --max-archive-depth ({}): not expanded",
                                                     limits_.max_archive_depth)});
    return {};
  }
  std::vector<Finding> findings;
  // The packed bytes as they are (and a compressed tar's decompressed bytes)
  // are scanned too, as for an archive file; after the entries, so that the
  // caller's one-finding-per-secret keeps the entry's label.
  std::vector<Hit> raw = scan_text(decoded.text(), path, 0, archive_depth, nullptr);
  // Names and comments as the text they are, as for an archive file: in the
  // bytes a token in a zip entry name runs into the extra field after it.
  auto scan_names = [&](const std::vector<TextField>& fields) {
    std::string joined;
    for (const TextField& field : fields) joined += field.text + '\n';
    if (joined.empty()) return;
    for (Hit& hit : scan_text(joined, path, limits_.max_decode_depth, archive_depth, nullptr)) raw.push_back(std::move(hit));
  };
  const ExpandResult result = expand_archive(decoded.text(), "", limits_.archive, budget_, [&](const ArchiveEntry& entry) {
    if (entry.whole_stream) {
      for (Hit& hit : scan_text(entry.data, path, 0, archive_depth, nullptr)) raw.push_back(std::move(hit));
      if (entry.texts) scan_names(*entry.texts);
      return;
    }
    Provenance inner;
    inner.path = entry.single_stream ? "" : std::string(entry.name);
    scan_container(entry.data, inner, archive_depth + 1, findings, entry.single_stream);
  });
  for (const ArchiveProblem& problem : result.problems) report(std::string(path), problem);
  scan_names(result.texts);
  std::vector<Hit> hits;
  for (Finding& finding : findings) {
    std::string inner_path = std::move(finding.source.path);
    if (inner_path.starts_with("!")) inner_path.erase(0, 1);
    Hit hit;
    hit.finding = std::move(finding);
    hit.finding.decoded.insert(hit.finding.decoded.begin(),
                               inner_path.empty() ? result.format : fmt::format("{}:{}", result.format, inner_path));
    hits.push_back(std::move(hit));
  }
  for (Hit& hit : raw) {
    hit.finding.decoded.insert(hit.finding.decoded.begin(), result.format);
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace sentryscan::decode
