// STUB: replaced by later work.
#include "cli/commands.h"

namespace sentryscan::cli {

void register_install_hook_command(CLI::App&, int&) {}

}  // namespace sentryscan::cli
