// Shared by the libFuzzer targets: an invariant check that survives NDEBUG
// and says which property broke, so a crash report is readable on its own.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(condition, what)                                                           \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n  (%s)\n", __FILE__, __LINE__, \
                   what, #condition);                                                         \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace sentryscan::fuzz {

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace sentryscan::fuzz

namespace sentryscan::fuzz {

// True when `message` repeats a run of 32 or more token characters that is
// also in `input`: error messages must never quote what might be a secret
// (32/64-hex keys, 43-character org token secrets).
inline bool quotes_possible_secret(std::string_view message, std::string_view input) {
  auto token_char = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
           c == '_';
  };
  constexpr std::size_t kRun = 32;
  std::size_t run = 0;
  for (std::size_t i = 0; i < message.size(); ++i) {
    run = token_char(message[i]) ? run + 1 : 0;
    if (run >= kRun && input.find(message.substr(i + 1 - kRun, kRun)) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace sentryscan::fuzz
