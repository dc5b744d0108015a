// What the command line said, typed where each flag is defined (cli/): the
// "LowArgs" of ripgrep's design. Nothing here is resolved against config
// files or defaults yet; settings/settings.h does that once per run.
// Empty optionals mean "not given".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/severity.h"
#include "settings/validation.h"

namespace sentryscan {

struct LowArgs {
  std::string format = "text";
  std::string output;                 // empty or "-": standard output
  std::string group_by;               // --group-by location|secret; empty: not given
  std::optional<Severity> fail_on;
  bool show_secrets = false;
  std::string baseline;
  std::string write_baseline;
  std::string config;                 // --config: a config file the user names
  unsigned threads = 0;               // 0: all cores
  std::optional<std::uint64_t> max_file_size;  // parsed at the flag (settings/size.h)
  std::vector<std::string> exclude;
  std::vector<std::string> rules_files;
  bool quiet = false;
  bool no_color = false;
  std::string color;                  // --color auto|always|never; empty: not given
  bool author_email = false;          // --include-author-email (sarif, gitlab, html)
  std::string progress = "auto";
  unsigned max_decode_depth = 2;      // docs/decoding.md
  unsigned max_archive_depth = 3;
  std::optional<std::uint64_t> max_archive_size;
  validate::ValidationOptions validate;  // --validate and friends
};

}  // namespace sentryscan
