#pragma once

#include <string_view>

namespace sentryscan::git {

// The text of hooks/pre-commit.
std::string_view pre_commit_hook_script();
// A line fragment that marks a hook file as ours (safe to replace).
std::string_view hook_marker();

}  // namespace sentryscan::git
