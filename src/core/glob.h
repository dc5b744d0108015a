#pragma once

#include <string_view>

namespace sentryscan {

// gitignore-flavoured glob: `*` and `?` stay within one path segment, `**`
// crosses segments, `[...]` classes. A pattern without '/' also matches any
// single segment (so `*.min.js` and `node_modules` match at any depth); a
// pattern matching a directory prefix matches everything below it.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace sentryscan
