// .sentryscanignore (SPEC 2, Suppression): fingerprints to suppress and
// `path:GLOB` lines that exclude paths. A repository file, so settings/
// parses it; suppress/ applies the fingerprints.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace sentryscan {

struct IgnoreFile {
  std::unordered_set<std::string> fingerprints;
  std::vector<std::string> path_globs;  // from `path:GLOB` lines
};

// Throws InputError (file and line) on a line that is neither a comment, a
// fingerprint nor a `path:` glob.
IgnoreFile parse_ignore_file(std::string_view text, std::string_view origin);
// A missing file is an empty IgnoreFile; an unreadable one throws InputError.
IgnoreFile load_ignore_file(const std::filesystem::path& path);

}  // namespace sentryscan
