// The data that flows from the matcher to the reporters. Plain structs only:
// every stage after the matcher reads and annotates these, nothing more.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/severity.h"

namespace sentryscan {

enum class SourceKind { file, git, staged, stdin_input };

std::string_view to_string(SourceKind kind);

// Git audit, for a blob with findings: every place it entered history and
// the ref tips whose tree still holds it (src/source/git/audit/blob_history.h).
// Findings of one blob share one (std::shared_ptr), and only audits set it,
// so the report layer can group findings by secret (report/group_by_secret.h).
struct BlobIntroduction {
  std::string commit;
  std::string author;
  std::string email;
  std::string date;  // author date, ISO-8601 UTC
  std::string message;  // summary line
  std::string path;
};

struct BlobHistory {
  std::vector<BlobIntroduction> introductions;  // earliest first (parents before children)
  // Rank of the first introduction in the audit's walk (parents before
  // children): compares the first entries of two blobs of one repository.
  std::uint64_t first_rank = 0;
  std::vector<std::string> ref_tips;  // names of the refs whose tip tree holds the blob
  bool in_head = false;  // HEAD's current tree (the default branch, checked out or not) holds it
  // Ref tips looked at, of how many (fewer past the limit on refs: see blob_history.h).
  std::uint64_t tips_checked = 0;
  std::uint64_t tips_total = 0;
};

// Where a chunk of content came from. For files only `path` is set; git and
// staged sources add the commit metadata of the commit that introduced it.
struct Provenance {
  SourceKind kind = SourceKind::file;
  std::string repository;  // multi-repository audits: the repository's display name (URL without credentials, or path); empty otherwise
  std::string path;  // relative to the scanned root where possible; archives use "a.zip!inner"
  std::string commit;
  std::string author;
  std::string email;
  std::string date;  // ISO-8601 UTC
  std::string message;  // summary line
  std::string blob;     // blob object id
  // Git audit: how many other (commit, path) places carry the same blob.
  std::uint64_t other_locations = 0;
  std::shared_ptr<const BlobHistory> history;  // git audit only; null elsewhere
};

struct Location {
  std::uint64_t line = 0;  // 1-based
  std::uint64_t column = 0;  // 1-based, in bytes of the scanned text
  std::uint64_t end_line = 0;
  std::uint64_t end_column = 0;  // inclusive, 1-based
};

// Decoded `sntrys_` payload (SPEC 1.1). Fields absent from the payload stay empty.
struct TokenInfo {
  std::string org;
  std::optional<std::string> url;  // nullopt when the payload says null
  std::string region_url;
  std::string issued_at;  // ISO-8601
};

struct DsnInfo {
  std::string host;
  std::string port;
  std::string path_prefix;
  std::string project_id;
  std::string org_id;
  std::string region;  // "us", "de" or empty
  std::string public_key;
  bool saas = false;
  bool has_secret = false;
};

enum class ValidationStatus { not_checked, live, revoked, unknown, skipped };

std::string_view to_string(ValidationStatus status);

struct Validation {
  ValidationStatus status = ValidationStatus::not_checked;
  int http_status = 0;  // 0 when no HTTP answer was had
  std::string detail;
};

struct Finding {
  std::string rule_id;
  Severity severity = Severity::low;
  std::string description;
  std::string secret;  // the exact matched credential text, never logged
  std::string fingerprint;  // "sentryscan:v1:<32 hex>", from rule id + secret only
  Location location;
  Provenance source;
  bool binary = false;  // found in a file that looks binary
  bool allowed_inline = false;  // its line carries `sentryscan:allow`
  std::vector<std::string> decoded;  // decoding chain, e.g. {"base64"}; empty for plain text
  std::optional<TokenInfo> token;
  std::optional<DsnInfo> dsn;
  Validation validation;
  // Read back from a report (`sentryscan merge`): `secret` is the text that
  // report showed (redacted unless it was written with --show-secrets), so it
  // is shown as it is, and the report's secret_sha256 is kept.
  bool secret_as_reported = false;
  std::string reported_secret_sha256;
};

}  // namespace sentryscan
