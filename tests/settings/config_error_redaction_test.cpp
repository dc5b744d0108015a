// Found by fuzz_config: toml++ quotes the value it could not parse, so a
// credential pasted unquoted into .sentryscan.toml (which lives in the scanned
// repository) reached the error message and the CI log.
#include <gtest/gtest.h>

#include <string>

#include "settings/config_file.h"
#include "core/input_error.h"
#include "support/fake_tokens.h"

namespace sentryscan::testing {
namespace {

std::string config_error(const std::string& toml) {
  try {
    parse_config(toml, ".sentryscan.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ConfigErrorRedaction, UnparsableValuesAreNotQuotedWhole) {
  const std::string hex = fake_hex("config-leak", 64);
  for (const std::string& toml : {"max_file_size = 0x" + hex + "\n", "fail_on = 0o" + std::string(40, '7') + "\n",
                                  "fail_on = " + std::string(40, '5') + "\n",
                                  // Longer than the 160 characters a message keeps.
                                  "fail_on = " + std::string(200, '5') + "\n"}) {
    const std::string message = config_error(toml);
    EXPECT_TRUE(message.starts_with(".sentryscan.toml:1: invalid TOML")) << message;
    EXPECT_EQ(message.find(hex), std::string::npos) << message;
    EXPECT_EQ(message.find(std::string(32, '5')), std::string::npos) << message;
    EXPECT_EQ(message.find(std::string(32, '7')), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace sentryscan::testing
