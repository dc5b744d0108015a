// Strings split in source code (project issue 12): a literal continued on
// the next line (`\` at the end of a line inside it: Rust, C, Python),
// adjacent literals (`"a" "b"`: C, C++, Python) and `"a" + "b"` (Rust, C,
// C++, Python, JS/TS, Go, Java). Each join (closing quote, what lies between,
// opening quote; or backslash, line break and the next line's indentation)
// is cut out, so a credential written in parts is matched whole, and
// DecodedText::to_parent() puts it back at its parts (first line to last).
//
//   join_literals(text, survey.keywords, [&](const DecodedText& joined) { scan(joined.text()); });
//
// Only windows near `sntry` / `sentry` (any case) are looked at: the survey
// finds those in the pass it makes anyway, so ordinary code pays nothing more
// (bench/RESULTS.md). A part must therefore hold the whole `sntry` prefix, or
// the text around the literal name Sentry (SENTRY_DSN = "..." "...").
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "decode/decoders.h"

namespace sentryscan::decode {

// Windows from kJoinBefore before each keyword (Survey::keywords) to
// kJoinAfter after it (the keyword is the token's prefix or host, or the name
// the parts are assigned to, so the parts follow it), and on to the end of
// that line when it ends within 2 KiB more (escaped parts on the name's
// line), holding at
// least one join, with every join in them cut out (Encoding::joined). The
// same quote kind must close one part and open the next; the `\` of a
// continuation must be inside a literal, and the next line's spaces and tabs
// are dropped (Rust's rule; C and Python keep them, but a credential does not
// hold them).
void join_literals(std::string_view text, const std::vector<std::size_t>& keywords, const WindowSink& on_window);
std::vector<DecodedText> join_literals(std::string_view text);  // surveys itself; for tests

// An org token (the longest credential, ~250 bytes) in parts after its
// name, or a DSN split before its host, fits.
constexpr std::size_t kJoinBefore = 128;
constexpr std::size_t kJoinAfter = 384;

}  // namespace sentryscan::decode
