#include "engine/scan_context.h"

#include <cstring>

#include "core/secret_hash.h"
#include "source/text_decode.h"

namespace sentryscan {
namespace {

constexpr std::string_view kInlineAllow = "sentryscan:allow";

// Turns byte offsets into 1-based line/column. Matches arrive sorted, so the
// newline count is carried forward instead of recounted from the start.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}

  std::pair<std::uint64_t, std::uint64_t> at(std::size_t offset) {
    if (offset < pos_) {
      pos_ = 0, line_ = 1, line_start_ = 0;
    }
    while (pos_ < offset) {
      const void* nl = std::memchr(text_.data() + pos_, '\n', offset - pos_);
      if (!nl) break;
      pos_ = static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data()) + 1;
      ++line_;
      line_start_ = pos_;
    }
    pos_ = std::max(pos_, offset);
    return {line_, offset - line_start_ + 1};
  }

  std::size_t line_start() const { return line_start_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
  std::size_t line_start_ = 0;
};

bool line_allows(std::string_view text, std::size_t line_start, std::size_t offset) {
  std::size_t line_end = text.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = text.size();
  return text.substr(line_start, line_end - line_start).find(kInlineAllow) != std::string_view::npos;
}

}  // namespace

ScanContext::ScanContext(const Matcher& matcher, ScanSettings settings) : matcher_(matcher), settings_(settings) {
  if (settings_.threads == 0) settings_.threads = 1;
  for (unsigned i = 0; i < settings_.threads; ++i)
    scratches_.push_back(std::make_unique<Matcher::Scratch>(matcher_.make_scratch()));
}

std::vector<Finding> ScanContext::scan(unsigned worker, const Chunk& chunk) {
  items_.fetch_add(1, std::memory_order_relaxed);
  bytes_.fetch_add(chunk.data.size(), std::memory_order_relaxed);
  std::string_view text = chunk.data;
  const std::optional<std::string> transcoded = utf16_to_utf8(text);
  if (transcoded) text = *transcoded;
  const bool binary = !transcoded && looks_binary(text);

  const auto matches = matcher_.find(text, MatchContext{chunk.provenance.path}, *scratches_.at(worker));
  std::vector<Finding> findings;
  findings.reserve(matches.size());
  LineCounter lines(text);
  // Matches arrive sorted by start, so several on one line share one search
  // for the allow marker: a minified file with thousands of tokens on a single
  // line must not rescan the line for each of them.
  std::size_t allow_line_start = std::string_view::npos;
  bool allow_line = false;
  for (const Match& match : matches) {
    const Rule& rule = matcher_.rules()[match.rule_index];
    Finding finding;
    finding.rule_id = rule.id;
    finding.severity = rule.severity;
    finding.description = rule.description;
    finding.secret = std::string(text.substr(match.begin, match.end - match.begin));
    finding.fingerprint = fingerprint(rule.id, finding.secret);
    const auto [line, column] = lines.at(match.begin);
    if (lines.line_start() != allow_line_start) {
      allow_line_start = lines.line_start();
      allow_line = line_allows(text, allow_line_start, match.begin);
    }
    finding.allowed_inline = allow_line;
    finding.location = {line, column, line, column};
    // The end is counted within the secret alone, so the counter above never
    // has to move backwards when spans overlap.
    const std::string_view secret = finding.secret;
    for (std::size_t i = 0; i + 1 < secret.size(); ++i) {
      if (secret[i] == '\n') {
        ++finding.location.end_line;
        finding.location.end_column = 0;
      }
      ++finding.location.end_column;
    }
    finding.source = chunk.provenance;
    finding.binary = binary;
    finding.token = match.token;
    finding.dsn = match.dsn;
    findings.push_back(std::move(finding));
  }
  return findings;
}

void ScanContext::add_findings(std::vector<Finding> findings) {
  if (findings.empty()) return;
  std::lock_guard lock(mutex_);
  for (auto& finding : findings) result_.findings.push_back(std::move(finding));
}

void ScanContext::add_issue(ScanIssue issue) {
  std::lock_guard lock(mutex_);
  result_.issues.push_back(std::move(issue));
}

void ScanContext::set_item_noun(std::string noun) {
  std::lock_guard lock(mutex_);
  result_.stats.item_noun = std::move(noun);
}

ScanResult ScanContext::finish() {
  std::lock_guard lock(mutex_);
  result_.stats.items_scanned = items_.load();
  result_.stats.bytes_scanned = bytes_.load();
  result_.stats.items_skipped = skipped_.load();
  result_.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return std::move(result_);
}

}  // namespace sentryscan
