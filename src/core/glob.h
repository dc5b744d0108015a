#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sentryscan {

// gitignore-flavoured glob: `*` and `?` stay within one path segment, `**`
// crosses segments, `[...]` classes. A pattern without '/' also matches any
// single segment (so `*.min.js` and `node_modules` match at any depth); a
// pattern matching a directory prefix matches everything below it.
bool glob_match(std::string_view pattern, std::string_view path);

// One glob, normalised once (leading "./" or "/" anchors it at the root).
class Glob {
 public:
  explicit Glob(std::string_view pattern);
  bool matches(std::string_view path) const;

 private:
  std::string pattern_;
  bool anchored_ = false;
  bool anywhere_ = false;  // no '/': matches starting at any segment
};

// Every exclude glob of a run (flags, config, ignore file), compiled once in
// settings/ and matched by every source and by suppression.
class GlobSet {
 public:
  GlobSet() = default;
  explicit GlobSet(const std::vector<std::string>& patterns);
  bool empty() const { return globs_.empty(); }
  bool matches(std::string_view path) const;  // any of them

 private:
  std::vector<Glob> globs_;
};

}  // namespace sentryscan
