// STUB: replaced by the suppression work.
#include "suppress/suppress.h"

namespace sentryscan {

IgnoreFile parse_ignore_file(std::string_view, std::string_view) { return {}; }
IgnoreFile load_ignore_file(const std::filesystem::path&) { return {}; }
std::unordered_set<std::string> load_baseline(const std::filesystem::path&) { return {}; }

SuppressionOutcome apply_suppressions(std::vector<Finding> findings, const Suppressions&) {
  SuppressionOutcome outcome;
  for (auto& f : findings) {
    if (f.allowed_inline) {
      ++outcome.counts.inline_allow;
      continue;
    }
    outcome.kept.push_back(std::move(f));
  }
  return outcome;
}

}  // namespace sentryscan
