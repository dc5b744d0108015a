// Untrusted text (paths, commit messages, author names, server answers) made
// safe to print: one line, no terminal control, nothing a CI log parser reads
// as a command. Shared by the reporters and every message on standard error.
#pragma once

#include <string>
#include <string_view>

namespace sentryscan {

// Turns every character that could act on a terminal or end a line into a
// visible escape: \n \r \t as "\n" "\r" "\t", other C0 controls and DEL as
// "\x1b"-style, C1 controls (U+0080..U+009F, e.g. the one-byte CSI) as
// "\u009b", and each byte that is not part of valid UTF-8 as "\xff". Valid
// printable UTF-8 passes unchanged. Backslashes are not doubled: the result
// is for people to read, not to be parsed back.
std::string escape_control(std::string_view text);

}  // namespace sentryscan
