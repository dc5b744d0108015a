// Applying the suppression mechanisms (SPEC 2, Suppression). Each suppressed
// finding is counted under the first mechanism that matches, in the order a
// user reasons about them: the line itself, the repository's ignore file,
// then the baseline of findings that already existed.
#include "suppress/suppress.h"

#include <algorithm>

#include "core/glob.h"

namespace sentryscan {
namespace {

bool path_ignored(const IgnoreFile& ignore, const std::string& path) {
  if (path.empty()) return false;
  return std::any_of(ignore.path_globs.begin(), ignore.path_globs.end(),
                     [&](const std::string& glob) { return glob_match(glob, path); });
}

}  // namespace

SuppressionOutcome apply_suppressions(std::vector<Finding> findings, const Suppressions& suppressions) {
  SuppressionOutcome outcome;
  for (auto& finding : findings) {
    if (finding.allowed_inline) {
      ++outcome.counts.inline_allow;
    } else if (suppressions.ignore.fingerprints.contains(finding.fingerprint) ||
               path_ignored(suppressions.ignore, finding.source.path)) {
      ++outcome.counts.ignore_file;
    } else if (suppressions.baseline.contains(finding.fingerprint)) {
      ++outcome.counts.baseline;
    } else {
      outcome.kept.push_back(std::move(finding));
    }
  }
  return outcome;
}

}  // namespace sentryscan
