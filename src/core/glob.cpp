#include "core/glob.h"

#include <cstdint>
#include <unordered_set>

namespace sentryscan {
namespace {

// Index of the ']' closing the class that opens at pattern[p], or npos. A ']'
// right after '[' (or '[!') is a member, not the end.
std::size_t class_end(std::string_view pattern, std::size_t p) {
  std::size_t i = p + 1;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) ++i;
  if (i < pattern.size() && pattern[i] == ']') ++i;
  return pattern.find(']', i);
}

bool match_class(std::string_view pattern, std::size_t& p, char c) {
  // pattern[p] == '['; on return p is past ']'.
  std::size_t i = p + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    ++i;
  }
  bool matched = false;
  bool first = true;
  for (; i < pattern.size() && (first || pattern[i] != ']'); ++i, first = false) {
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      if (c >= pattern[i] && c <= pattern[i + 2]) matched = true;
      i += 2;
    } else if (pattern[i] == c) {
      matched = true;
    }
  }
  p = i + 1;
  return matched != negate;
}

// Matches pattern[p..] against path[s..]. Every `*` tries each split of the
// path, so plain recursion is exponential in the number of stars (`*a*a*a*b`
// against a long name): the globs come from .sentryscanignore, which the
// scanned repository controls. Failed (p, s) states are remembered, which
// bounds the work by pattern length x path length x segment length.
class GlobMatcher {
 public:
  GlobMatcher(std::string_view pattern, std::string_view path) : pattern_(pattern), path_(path) {}

  bool match(std::size_t p, std::size_t s) {
    // Ordinary globs finish in a few steps: only pay for the memo when a glob
    // starts to backtrack.
    if (++steps_ <= kStepsBeforeMemo) return match_uncached(p, s);
    const std::uint64_t state = (static_cast<std::uint64_t>(p) << 32) | s;
    if (failed_.contains(state)) return false;
    if (match_uncached(p, s)) return true;
    failed_.insert(state);
    return false;
  }

 private:
  bool match_uncached(std::size_t p, std::size_t s) {
    const std::string_view pattern = pattern_, path = path_;
    while (p < pattern.size()) {
      const char pc = pattern[p];
      if (pc == '*') {
        const bool globstar = p + 1 < pattern.size() && pattern[p + 1] == '*';
        std::size_t next = p + (globstar ? 2 : 1);
        if (globstar && next < pattern.size() && pattern[next] == '/') {
          // "**/" matches zero or more whole segments.
          ++next;
          for (std::size_t k = s; k <= path.size(); ++k) {
            if ((k == s || path[k - 1] == '/') && match(next, k)) return true;
          }
          return false;
        }
        for (std::size_t k = s; k <= path.size(); ++k) {
          if (match(next, k)) return true;
          if (k < path.size() && path[k] == '/' && !globstar) return false;
        }
        return false;
      }
      if (s >= path.size()) return false;
      if (pc == '?') {
        if (path[s] == '/') return false;
        ++p, ++s;
      } else if (pc == '[' && class_end(pattern, p) != std::string_view::npos) {
        if (path[s] == '/' || !match_class(pattern, p, path[s])) return false;
        ++s;
      } else {
        if (pc != path[s]) return false;
        ++p, ++s;
      }
    }
    // A match of a leading directory matches everything below it.
    return s == path.size() || path[s] == '/';
  }

  static constexpr std::size_t kStepsBeforeMemo = 256;
  std::string_view pattern_, path_;
  std::size_t steps_ = 0;
  std::unordered_set<std::uint64_t> failed_;
};

}  // namespace

// Normalised once: "./x" names x at the root, like "/x"; a trailing '/' is dropped.
Glob::Glob(std::string_view pattern) {
  anchored_ = pattern.starts_with("./") || pattern.starts_with('/');
  while (pattern.starts_with("./")) pattern.remove_prefix(2);
  if (pattern.ends_with('/')) pattern.remove_suffix(1);
  while (pattern.starts_with('/')) pattern.remove_prefix(1);
  pattern_ = pattern;
  anywhere_ = !anchored_ && pattern_.find('/') == std::string::npos;
}

bool Glob::matches(std::string_view path) const {
  while (path.starts_with("./")) path.remove_prefix(2);
  GlobMatcher matcher(pattern_, path);
  if (!anywhere_) return matcher.match(0, 0);
  // No slash: try at every segment start.
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if ((i == 0 || path[i - 1] == '/') && matcher.match(0, i)) return true;
  }
  return false;
}

GlobSet::GlobSet(const std::vector<std::string>& patterns) {
  globs_.reserve(patterns.size());
  for (const auto& pattern : patterns) globs_.emplace_back(pattern);
}

bool GlobSet::matches(std::string_view path) const {
  for (const auto& glob : globs_)
    if (glob.matches(path)) return true;
  return false;
}

bool glob_match(std::string_view pattern, std::string_view path) { return Glob(pattern).matches(path); }

}  // namespace sentryscan
