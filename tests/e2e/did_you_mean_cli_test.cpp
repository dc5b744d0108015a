// A mistyped subcommand or option is a usage error (exit 2) that names the
// closest known name, escaped like every stderr write, and scans nothing.
#include <gtest/gtest.h>

#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

TEST(DidYouMeanCli, MistypedSubcommand) {
  const CliResult result = run_sentryscan({"sacn", "."});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("sentryscan: error: unknown subcommand 'sacn'; did you mean 'scan'?"), std::string::npos)
      << result.err;
  EXPECT_EQ(result.out, "");

  const CliResult top = run_sentryscan({"--verison"});  // the top level's own options
  EXPECT_EQ(top.exit_code, 2);
  EXPECT_NE(top.err.find("unknown option '--verison' for 'sentryscan'; did you mean '--version'?"), std::string::npos)
      << top.err;
}

TEST(DidYouMeanCli, MistypedOptionOfASubcommand) {
  TempDir dir;
  dir.write("a.txt", "nothing\n");
  CliOptions options;
  options.cwd = dir.path();
  const CliResult result = run_sentryscan({"scan", "--formt", "json", "."}, options);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unknown option '--formt' for 'sentryscan scan'; did you mean '--format'?"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("sentryscan scan --help"), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "") << "nothing is scanned";

  const CliResult with_value = run_sentryscan({"git", "--rnage=a..b"}, options);
  EXPECT_EQ(with_value.exit_code, 2);
  EXPECT_NE(with_value.err.find("unknown option '--rnage' for 'sentryscan git'; did you mean '--range'?"), std::string::npos)
      << with_value.err;
}

TEST(DidYouMeanCli, NoCloseMatchListsWhatThereIs) {
  const CliResult command = run_sentryscan({"frobnicate"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.err.find("unknown subcommand 'frobnicate'; the subcommands are scan, git, staged"),
            std::string::npos)
      << command.err;
  EXPECT_EQ(command.err.find("did you mean"), std::string::npos) << command.err;

  const CliResult option = run_sentryscan({"rules", "--zzzzzz"});
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_NE(option.err.find("unknown option '--zzzzzz' for 'sentryscan rules'"), std::string::npos) << option.err;
  EXPECT_EQ(option.err.find("did you mean"), std::string::npos) << option.err;
}

TEST(DidYouMeanCli, WhatWasTypedIsEscaped) {
  const CliResult result = run_sentryscan({"sc\x1b[2Jan\n::error::x"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.find('\x1b'), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("\n::error"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("\\x1b"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace sentryscan::testing
