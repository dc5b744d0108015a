// STUB: replaced by later work.
#include "cli/commands.h"

namespace sentryscan::cli {

void register_git_command(CLI::App&, int&) {}

}  // namespace sentryscan::cli
