#include "core/finding.h"

namespace sentryscan {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "low";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "low") return Severity::low;
  if (text == "medium") return Severity::medium;
  if (text == "high") return Severity::high;
  if (text == "critical") return Severity::critical;
  return std::nullopt;
}

std::string_view to_string(SourceKind kind) {
  switch (kind) {
    case SourceKind::file: return "file";
    case SourceKind::git: return "git";
    case SourceKind::staged: return "staged";
    case SourceKind::stdin_input: return "stdin";
  }
  return "file";
}

std::string_view to_string(ValidationStatus status) {
  switch (status) {
    case ValidationStatus::not_checked: return "not_checked";
    case ValidationStatus::live: return "live";
    case ValidationStatus::revoked: return "revoked";
    case ValidationStatus::unknown: return "unknown";
    case ValidationStatus::skipped: return "skipped";
  }
  return "not_checked";
}

}  // namespace sentryscan
