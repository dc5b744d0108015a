// Findings grouped by secret: one entry per (repository, rule, fingerprint),
// which is what a person remediates, instead of one per location (a history
// audit reports every blob version that holds a secret: sentry-javascript has
// 2,590 locations for 53 secrets, one DSN in 765 of them).
//
//   for (const SecretGroup& group : group_by_secret(report.findings)) ...
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/finding.h"

namespace sentryscan {

struct SecretGroup {
  std::vector<const Finding*> locations;  // in report order; never empty
  // The location whose blob entered history first (git audits), else the
  // first listed: its rule, severity, secret and metadata stand for the group.
  const Finding* first = nullptr;
  // Where and when the secret first entered history; empty commit when the
  // findings carry no history (not a git audit).
  BlobIntroduction first_entry;
  std::uint64_t blob_versions = 0;  // distinct blobs holding it (0 outside git)
  std::uint64_t paths = 0;          // distinct paths it entered history at (or was found at)
  std::uint64_t commits = 0;        // distinct commits that brought it into history
  // Git audits: the ref tips whose tree still holds one of its blob versions,
  // and whether HEAD's tree does. `history_known` is false elsewhere.
  bool history_known = false;
  std::vector<std::string> ref_tips;
  bool in_head = false;
  std::uint64_t tips_checked = 0;
  std::uint64_t tips_total = 0;
};

// Groups in order of severity (critical first), then of their first location
// in `findings`. The pointers point into `findings`.
std::vector<SecretGroup> group_by_secret(const std::vector<Finding>& findings);

}  // namespace sentryscan
