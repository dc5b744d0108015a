// Every message sentryscan writes on standard error goes through here.
// The format string is program text; every argument is untrusted text
// (paths, commit messages, author names, server answers, exception texts
// that quote them) and is passed through escape_control, so it can neither
// drive the terminal (ESC, BEL, C1 controls) nor start a line of its own.
// The latter matters beyond terminals: the GitHub Actions runner reads
// workflow commands ("::warning file=...::") from the start of any line of
// a step's stderr, so a file named "x\n::error::y" must stay on our line.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/terminal_text.h"

namespace sentryscan {
namespace diagnostics_detail {

template <typename T>
decltype(auto) escaped(const T& argument) {
  using Plain = std::remove_cvref_t<T>;
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return escape_control(std::string_view(argument));
  } else {
    // Text must arrive as something string-like so it is escaped; a lone
    // char could be a control character, a path object would need its own case.
    static_assert(std::is_arithmetic_v<Plain> && !std::is_same_v<Plain, char>,
                  "diagnostic arguments are text (escaped) or numbers");
    return argument;
  }
}

// Writes `text` to stderr as is (it is already safe) and flushes.
void write_stderr(std::string_view text);

}  // namespace diagnostics_detail

// The format string with every argument escaped; no prefix, no newline.
template <typename... Args>
std::string format_escaped(fmt::format_string<Args...> format, Args&&... args) {
  return fmt::format(fmt::runtime(fmt::string_view(format)), diagnostics_detail::escaped(args)...);
}

// "sentryscan: error: <message>\n"
template <typename... Args>
void print_error(fmt::format_string<Args...> format, Args&&... args) {
  diagnostics_detail::write_stderr("sentryscan: error: " + format_escaped(format, std::forward<Args>(args)...) + "\n");
}

// "sentryscan: warning: <message>\n"
template <typename... Args>
void print_warning(fmt::format_string<Args...> format, Args&&... args) {
  diagnostics_detail::write_stderr("sentryscan: warning: " + format_escaped(format, std::forward<Args>(args)...) +
                                   "\n");
}

// "sentryscan: <message>\n", for notes and labels of their own ("incomplete: ...").
template <typename... Args>
void print_message(fmt::format_string<Args...> format, Args&&... args) {
  diagnostics_detail::write_stderr("sentryscan: " + format_escaped(format, std::forward<Args>(args)...) + "\n");
}

// The progress line, redrawn in place: carriage return, erase-line (the one
// escape sequence sentryscan itself writes), the message, no newline.
template <typename... Args>
void print_progress(fmt::format_string<Args...> format, Args&&... args) {
  diagnostics_detail::write_stderr("\r\x1b[Ksentryscan: " + format_escaped(format, std::forward<Args>(args)...));
}

// Erases the progress line.
void clear_progress();

}  // namespace sentryscan
