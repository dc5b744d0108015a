// Runs the built `sentryscan` with its standard output on a real pseudo-terminal
// (posix_openpt), for tests of what only happens on a terminal (colour, where
// scan problems are printed). Standard error stays a pipe, as in run_cli.h.
//
//   CliResult r = run_sentryscan_on_terminal({"scan", dir}, {.env = {{"NO_COLOR", ""}}});
//   // r.out is what the terminal received (newlines arrive as "\r\n").
#pragma once

#include <string>
#include <vector>

#include "support/run_cli.h"

namespace sentryscan::testing {

// Uses options.cwd, options.env and options.timeout_seconds; standard input is empty.
CliResult run_sentryscan_on_terminal(const std::vector<std::string>& args, const CliOptions& options = {});

}  // namespace sentryscan::testing
