#pragma once

#include <filesystem>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/rule.h"

namespace sentryscan {

// Parses one rules TOML document. Throws InputError naming `origin` and the line.
std::vector<Rule> parse_rules(std::string_view toml_text, std::string_view origin);

// The rules compiled into the binary (rules/*.toml at build time).
std::vector<Rule> default_rules();
// Their text, (file name, TOML), as compiled in: what a state file's digest hashes.
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_rule_files();

// default_rules() plus each extra file, checked for duplicate ids.
std::vector<Rule> load_rules(const std::vector<std::filesystem::path>& extra_files);

}  // namespace sentryscan
