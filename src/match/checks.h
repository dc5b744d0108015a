// Structural checks that run on confirmed candidates only (SPEC 1, 6).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/finding.h"

namespace sentryscan {

// Decodes the payload of a whole `sntrys_` token. nullopt unless the token has
// exactly two '_', the payload is padded standard base64 of a JSON object with
// a truthy `iat`, and the secret is 43 characters of the right alphabet.
std::optional<TokenInfo> decode_org_token(std::string_view token);

// Parses a DSN as written in a file: plain, with JSON `\/` escapes, or
// percent-encoded. nullopt for malformed DSNs and Sentry's documentation placeholders.
std::optional<DsnInfo> parse_dsn(std::string_view text);

// A value that is obviously not a real credential: one repeated character or
// a short repeating pattern ("deadbeef" x 8, "0123456789abcdef" x 4).
bool is_placeholder(std::string_view value);

// Lockfiles and dependency manifests full of digests (SPEC 1.3).
bool is_lockfile_path(std::string_view path);

// Checksum lists (`SHA256SUMS`, `CHECKSUMS.txt`, `sentry-cli-Linux-x86_64.sha256`):
// every line is a digest, never a credential.
bool is_checksum_path(std::string_view path);

// A digest map (`"checksums": {"sentry": "<hex>"}`, `sha256:` / `integrity:`
// blocks): a digest word within 2 KiB before the key at `begin`.
bool in_digest_listing(std::string_view text, std::size_t begin);

// "sentry" in the path or within a few KiB around [begin, end).
bool names_sentry_nearby(std::string_view text, std::size_t begin, std::size_t end, std::string_view path);

// A Sentry API URL near a Bearer header.
bool sentry_api_url_nearby(std::string_view text, std::size_t begin, std::size_t end);

// The line holding `begin` is inside an `[auth]` INI section of a sentry-cli
// config (the path or file names sentry).
bool in_sentry_ini_auth_section(std::string_view text, std::size_t begin, std::string_view path);

// `sentry_key=` inside an X-Sentry-Auth / `Authorization: Sentry` header or a query string.
bool sentry_key_in_carrier(std::string_view text, std::size_t begin);

}  // namespace sentryscan
