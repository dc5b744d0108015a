// Hand-built findings and reports for the reporter tests. Secrets come from
// tests/support/fake_tokens.h, generated at test time.
#pragma once

#include <fmt/format.h>

#include <sstream>
#include <string>

#include "core/secret_hash.h"
#include "report/report.h"
#include "support/fake_tokens.h"

namespace sentryscan::testing {

inline Finding org_token_finding() {
  Finding f;
  f.rule_id = "sentry-org-token";
  f.severity = Severity::critical;
  f.description = "Sentry organization auth token";
  f.secret = fake_org_token("report-org", {.org = "acme"});
  f.fingerprint = fingerprint(f.rule_id, f.secret);
  f.location = {12, 22, 12, 22 + f.secret.size() - 1};
  f.source.kind = SourceKind::git;
  f.source.path = "ci/deploy.yml";
  f.source.commit = "0123456789abcdef0123456789abcdef01234567";
  f.source.author = "Jane Doe";
  f.source.email = "jane@example.com";
  f.source.date = "2024-05-01T10:00:00Z";
  f.source.message = "Add deploy pipeline";
  f.source.blob = "89abcdef0123456789abcdef0123456789abcdef";
  f.source.other_locations = 2;
  f.token = TokenInfo{"acme", std::string("https://sentry.io"), "https://us.sentry.io", "2024-05-01T00:00:00Z"};
  f.validation = {ValidationStatus::live, 200, ""};
  return f;
}

inline Finding user_token_finding() {
  Finding f;
  f.rule_id = "sentry-user-token";
  f.severity = Severity::high;
  f.description = "Sentry user auth token";
  f.secret = fake_user_token("report-user");
  f.fingerprint = fingerprint(f.rule_id, f.secret);
  f.location = {3, 7, 3, 7 + f.secret.size() - 1};
  f.source.kind = SourceKind::file;
  f.source.path = "app/settings.py";
  f.binary = true;
  f.decoded = {"base64"};
  f.validation = {ValidationStatus::revoked, 401, "token revoked or expired"};
  return f;
}

inline Finding dsn_finding() {
  Finding f;
  f.rule_id = "sentry-dsn";
  f.severity = Severity::low;
  f.description = "Sentry client key DSN";
  f.secret = fake_dsn("report-dsn", "o123.ingest.us.sentry.io", "456");
  f.fingerprint = fingerprint(f.rule_id, f.secret);
  f.location = {1, 10, 1, 10 + f.secret.size() - 1};
  f.source.kind = SourceKind::file;
  f.source.path = "web/src/sentry.js";
  DsnInfo dsn;
  dsn.host = "o123.ingest.us.sentry.io";
  dsn.project_id = "456";
  dsn.org_id = "123";
  dsn.region = "us";
  dsn.saas = true;
  dsn.public_key = fake_hex("report-dsn#0", 32);
  f.dsn = dsn;
  return f;
}

inline Finding legacy_key_finding() {
  Finding f;
  f.rule_id = "sentry-legacy-api-key";
  f.severity = Severity::medium;
  f.description = "Sentry legacy organization API key";
  f.secret = fake_hex("report-legacy", 32);
  f.fingerprint = fingerprint(f.rule_id, f.secret);
  f.location = {5, 17, 5, 17 + 31};
  f.source.kind = SourceKind::staged;
  f.source.path = ".sentryclirc";
  return f;
}

inline Report full_report() {
  Report r;
  r.findings = {org_token_finding(), user_token_finding(), legacy_key_finding(), dsn_finding()};
  r.suppressed = {.inline_allow = 2, .ignore_file = 0, .baseline = 1};
  r.issues = {{ScanIssue::Kind::warning, "big.bin", "skipped: larger than --max-file-size"},
              {ScanIssue::Kind::incomplete, "secret/locked.env", "permission denied"}};
  r.stats = {.items_scanned = 1234, .bytes_scanned = 5 * 1024 * 1024 + 300 * 1024, .items_skipped = 1,
             .seconds = 0.42, .item_noun = "files"};
  return r;
}

inline Report report_of(std::vector<Finding> findings) {
  Report report;
  report.findings = std::move(findings);
  return report;
}

inline std::string render(ReportFormat format, const Report& report, ReportOptions options = {}) {
  std::ostringstream out;
  write_report(out, format, report, options);
  return out.str();
}

}  // namespace sentryscan::testing
