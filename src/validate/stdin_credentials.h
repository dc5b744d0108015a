// `sentryscan validate`: credentials read from stdin, one per line, classified
// by shape (no file context exists), checked, and reported.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "validate/checker.h"

namespace sentryscan::validate {

inline constexpr std::string_view kUnrecognized = "unrecognized";

// Lines with surrounding whitespace and CR removed; blank lines dropped;
// repeated credentials kept once, in first-seen order.
std::vector<std::string> read_credential_lines(std::istream& in);

// sntrys_/sntryu_/sntrya_/sntryi_ prefixes, 64 hex (legacy token), 32 hex
// (legacy API key), DSN URL. rule_id is kUnrecognized for anything else.
Credential classify_credential(std::string_view text);

struct CheckedCredential {
  Credential credential;
  Validation validation;
};

std::vector<CheckedCredential> check_lines(const std::vector<std::string>& lines, const ValidationSettings& settings,
                                           std::vector<ScanIssue>& issues);

// Redacted unless show_secrets: one line per credential (text), or a JSON array.
void write_checked_text(std::ostream& out, const std::vector<CheckedCredential>& checked, bool show_secrets);
void write_checked_json(std::ostream& out, const std::vector<CheckedCredential>& checked, bool show_secrets);

// 1 any live; else 3 any unknown, unrecognised, or skipped for want of an
// allowed URL; else 0 (revoked, or skipped because the kind cannot be checked).
int checked_exit_code(const std::vector<CheckedCredential>& checked);

}  // namespace sentryscan::validate
