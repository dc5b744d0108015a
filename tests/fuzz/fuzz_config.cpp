// The .sentryscan.toml loader and the rules loader (both strict TOML readers)
// over arbitrary text, and parse_size over each line.
//
// Invariants: malformed input is an InputError naming the file (any other
// exception escapes and libFuzzer reports it); a config error never quotes a
// secret-looking run from the input; parsed sizes are positive.
#include <string>

#include "settings/config_file.h"
#include "settings/size.h"
#include "core/input_error.h"
#include "fuzz_support.h"
#include "rules/rule_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace sentryscan;
  using namespace sentryscan::fuzz;
  const std::string_view text = as_text(data, size);
  constexpr std::string_view kOrigin = "fuzz/.sentryscan.toml";
  try {
    const Config config = parse_config(text, kOrigin);
    if (config.max_file_size) FUZZ_CHECK(*config.max_file_size > 0, "max_file_size is positive");
    if (config.validate.concurrency) FUZZ_CHECK(*config.validate.concurrency > 0, "concurrency is positive");
  } catch (const InputError& e) {
    FUZZ_CHECK(e.file() == kOrigin, "the error names the config file");
    FUZZ_CHECK(std::string_view(e.what()).starts_with(kOrigin), "what() starts with the file");
    FUZZ_CHECK(!quotes_possible_secret(e.what(), text), "config errors never quote a secret");
  }
  try {
    const auto rules = parse_rules(text, "fuzz/rules.toml");
    for (const auto& rule : rules) FUZZ_CHECK(!rule.id.empty(), "a parsed rule has an id");
  } catch (const InputError& e) {
    FUZZ_CHECK(e.file() == "fuzz/rules.toml", "the error names the rules file");
  }
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t newline = std::min(text.find('\n', start), text.size());
    if (const auto bytes = parse_size(text.substr(start, newline - start))) (void)*bytes;
    start = newline + 1;
  }
  return 0;
}
