// The flags shared by every scanning subcommand, parsed into LowArgs
// (settings/low_args.h), typed where they are defined: sizes are parsed at
// the flag, severities and formats checked by the parser.
#pragma once

#include "settings/low_args.h"

namespace CLI {
class App;
}

namespace sentryscan::cli {

void add_common_options(CLI::App& command, LowArgs& args);

// --validate and its companions (SPEC 3).
void add_validate_flags(CLI::App& command, validate::ValidationOptions& flags);
// Everything but --validate and --only-live: for `sentryscan validate`, which always validates.
void add_validate_tuning_flags(CLI::App& command, validate::ValidationOptions& flags);

}  // namespace sentryscan::cli
