// Applying the suppression mechanisms (SPEC 2, Suppression). Each suppressed
// finding is counted under the first mechanism that matches, in the order a
// user reasons about them: the line itself, the repository's ignore file,
// then the baseline of findings that already existed.
#include "suppress/suppress.h"

#include <algorithm>

#include "core/glob.h"

namespace sentryscan {
namespace {

bool path_ignored(const GlobSet& globs, const std::string& path) { return !path.empty() && globs.matches(path); }

}  // namespace

SuppressionOutcome apply_suppressions(std::vector<Finding> findings, const Suppressions& suppressions) {
  SuppressionOutcome outcome;
  for (auto& finding : findings) {
    if (finding.allowed_inline) {
      ++outcome.counts.inline_allow;
      outcome.allowed_inline.push_back(std::move(finding));
    } else if (suppressions.ignored_fingerprints.contains(finding.fingerprint) ||
               path_ignored(suppressions.ignored_paths, finding.source.path)) {
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
