// .sentryscanignore parsing and the path globs it carries. The file lives in
// the scanned repository, so its content is attacker-controlled: a glob must
// not be able to hang the walk (glob matching must stay polynomial).
//
// Invariants: malformed lines are an InputError naming the file and a line
// that exists, never quoting a secret-looking run; fingerprints have the v1
// shape; every glob can be matched against every line of the input as a path
// (hangs are caught by libFuzzer's -timeout).
#include <algorithm>
#include <string>
#include <vector>

#include "core/glob.h"
#include "core/input_error.h"
#include "fuzz_support.h"
#include "suppress/suppress.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace sentryscan;
  using namespace sentryscan::fuzz;
  const std::string_view text = as_text(data, size);
  constexpr std::string_view kOrigin = "fuzz/.sentryscanignore";
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t newline = std::min(text.find('\n', start), text.size());
    lines.push_back(text.substr(start, newline - start));
    start = newline + 1;
  }
  IgnoreFile ignore;
  try {
    ignore = parse_ignore_file(text, kOrigin);
  } catch (const InputError& e) {
    FUZZ_CHECK(e.file() == kOrigin, "the error names the ignore file");
    FUZZ_CHECK(e.line() >= 1 && e.line() <= lines.size(), "the error names a line of the file");
    FUZZ_CHECK(!quotes_possible_secret(e.what(), text), "ignore-file errors never quote a line");
    // Still exercise the globs below: treat every line as one.
    for (auto line : lines) ignore.path_globs.emplace_back(line);
  }
  for (const auto& fp : ignore.fingerprints)
    FUZZ_CHECK(fp.size() == 14 + 32 && fp.starts_with("sentryscan:v1:"), "fingerprint shape");
  const std::vector<std::string_view> fixed_paths{"src/app.js", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p.txt",
                                                  std::string_view("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")};
  std::size_t budget = 64;  // glob x path pairs per input, so one input stays cheap
  for (const auto& glob : ignore.path_globs) {
    for (auto path : fixed_paths) {
      if (budget-- == 0) return 0;
      (void)glob_match(glob, path);
    }
    for (auto path : lines) {
      if (budget-- == 0) return 0;
      (void)glob_match(glob, path);
    }
  }
  return 0;
}
