// Deterministic synthetic inputs for the matcher benchmarks: the shapes that
// decide a regex engine's speed (SPEC 7), generated in memory, no files.
#pragma once

#include <cstddef>
#include <string>

namespace sentryscan::bench {

// Source code in several languages: identifiers, strings, comments, URLs and
// the words the rules key on ("token", "auth", "sentry", "http") at the rate
// real code has them, but no credential.
std::string typical_source(std::size_t bytes);

// Only lines full of rule keywords (URLs, Authorization headers, auth_token
// variables, Sentry.init): every line wakes the prefilter. A worst case.
std::string keyword_dense(std::size_t bytes);

// Lockfile-like text that is mostly hex and base64: Cargo.lock checksums,
// sha256sum lists, yarn.lock "resolved ...#sha1", npm integrity hashes and
// long hex dumps. Every 32/64-hex rule keeps firing its character classes here.
std::string dense_hex(std::size_t bytes);

// One minified JavaScript bundle line with no newline at all.
std::string minified_js(std::size_t bytes);

// Uniformly random bytes (compressed or encrypted data, images).
std::string binary_data(std::size_t bytes);

}  // namespace sentryscan::bench

namespace sentryscan::bench {

// Inserts `count` well-formed fake credentials (org token, user token, DSN,
// legacy token) at line starts spread evenly through `text`.
std::string with_planted_credentials(std::string text, std::size_t count);

}  // namespace sentryscan::bench
