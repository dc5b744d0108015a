// `sentryscan completion bash|zsh|fish` and the man page are generated from
// the CLI itself: every subcommand and flag that --help lists must be in
// each of them, and the bash script must really complete.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

// The subcommands listed under "Subcommands:" in the root --help.
std::vector<std::string> subcommands_in_help() {
  const CliResult help = run_sentryscan({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  std::vector<std::string> names;
  const auto section = help.out.find("Subcommands:");
  EXPECT_NE(section, std::string::npos) << help.out;
  const std::regex line(R"(\n  ([a-z][a-z-]*) )");
  const std::string rest = help.out.substr(section);
  for (std::sregex_iterator it(rest.begin(), rest.end(), line), end; it != end; ++it) names.push_back((*it)[1]);
  return names;
}

// Every "-x" and "--long-name" in the Options section of `sentryscan COMMAND --help`.
std::set<std::string> flags_in_help(const std::string& command) {
  std::vector<std::string> args;
  if (!command.empty()) args.push_back(command);
  args.push_back("--help");
  const CliResult help = run_sentryscan(args);
  EXPECT_EQ(help.exit_code, 0) << help.err;
  std::set<std::string> flags;
  std::string options = help.out.substr(help.out.find("Options:"));
  options = options.substr(0, options.find("\nSubcommands:"));
  const std::regex flag(R"((?:^|[\s,])(--?[A-Za-z][A-Za-z0-9-]*))");
  std::istringstream lines(options);
  for (std::string text; std::getline(lines, text);) {
    if (!text.starts_with("  -")) continue;  // option lines, not wrapped descriptions
    text = text.substr(0, text.find(' ', 2));  // "  -o,--output TEXT  Write..." -> "  -o,--output"
    for (std::sregex_iterator it(text.begin(), text.end(), flag), end; it != end; ++it) flags.insert((*it)[1]);
  }
  EXPECT_FALSE(flags.empty()) << help.out;
  return flags;
}

std::string completion(const std::string& shell) {
  const CliResult result = run_sentryscan({"completion", shell});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

// The part of `script` from `start` to the next `end`.
std::string block(const std::string& script, const std::string& start, const std::string& end) {
  const auto from = script.find(start);
  if (from == std::string::npos) return "";
  return script.substr(from, script.find(end, from) - from);
}

// The words of `options='...'` in the bash script's case for `command`.
std::set<std::string> bash_options(const std::string& script, const std::string& command) {
  const std::string start = "    '" + command + "') options='";
  const std::string entry = block(script, start, "\n");
  std::istringstream words(entry.empty() ? "" : entry.substr(start.size()));
  std::set<std::string> options;
  for (std::string word; std::getline(words, word, ' ');) {
    if (const auto quote = word.find('\''); quote != std::string::npos) {
      options.insert(word.substr(0, quote));
      break;
    }
    options.insert(word);
  }
  return options;
}

std::string zsh_entry(const std::string& script, const std::string& command) {
  if (command.empty()) return block(script, "  _arguments -C", "'1:command");
  return block(script, "        '" + command + "')\n", "&& return 0 ;;");
}

bool fish_has(const std::string& script, const std::string& command, const std::string& flag) {
  const std::string condition =
      command.empty() ? "-n __fish_use_subcommand" : "-n '__fish_seen_subcommand_from " + command + "'";
  const std::string spelled = flag.starts_with("--") ? " -l " + flag.substr(2) : " -s " + flag.substr(1);
  std::istringstream lines(script);
  for (std::string line; std::getline(lines, line);)
    if (line.find(condition) != std::string::npos && (line + " ").find(spelled + " ") != std::string::npos)
      return true;
  return false;
}

TEST(ShellCompletion, EverySubcommandAndFlagOfTheHelpIsInEachScript) {
  const std::string bash = completion("bash");
  const std::string zsh = completion("zsh");
  const std::string fish = completion("fish");
  const auto subcommands = subcommands_in_help();
  // The alternatives of `case ${COMP_WORDS[i]} in scan|git|...)`.
  std::set<std::string> bash_subcommands;
  std::string cases = block(bash, "case ${COMP_WORDS[i]} in\n", ")");
  std::istringstream alternatives(cases.substr(cases.find_last_of(" \n") + 1));
  for (std::string name; std::getline(alternatives, name, '|');) bash_subcommands.insert(name);
  ASSERT_GE(subcommands.size(), 7u);  // scan git staged validate rules install-hook completion
  std::vector<std::string> commands{""};
  commands.insert(commands.end(), subcommands.begin(), subcommands.end());
  for (const std::string& command : commands) {
    if (!command.empty()) {
      EXPECT_NE(zsh.find("'" + command + ":"), std::string::npos) << command;
      EXPECT_NE(fish.find("__fish_use_subcommand -a " + command + " "), std::string::npos) << command;
      EXPECT_TRUE(bash_subcommands.contains(command)) << command;
    }
    const std::set<std::string> bash_flags = bash_options(bash, command);
    const std::string zsh_options = zsh_entry(zsh, command);
    for (const std::string& flag : flags_in_help(command)) {
      EXPECT_TRUE(bash_flags.contains(flag)) << command << " " << flag << " (bash)";
      EXPECT_TRUE(zsh_options.find("'" + flag + "[") != std::string::npos ||
                  zsh_options.find("'*" + flag + "[") != std::string::npos)  // repeatable
          << command << " " << flag << " (zsh)";
      EXPECT_TRUE(fish_has(fish, command, flag)) << command << " " << flag << " (fish)";
    }
  }
}

// What bash offers for the words typed so far (the last one is being completed).
std::string bash_complete(const std::filesystem::path& script, const std::string& words) {
  const std::string program = "source '" + script.string() + "'; COMP_WORDS=(" + words +
                              "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _sentryscan; echo \"${COMPREPLY[*]}\"";
  const CliResult result = run_program({"bash", "-c", program});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out.substr(0, result.out.find('\n'));
}

TEST(ShellCompletion, BashCompletesSubcommandsFlagsAndValues) {
  TempDir dir;
  const auto script = dir.write("sentryscan.bash", completion("bash"));
  EXPECT_EQ(bash_complete(script, "sentryscan st"), "staged");
  EXPECT_EQ(bash_complete(script, "sentryscan i"), "install-hook");
  EXPECT_EQ(bash_complete(script, "sentryscan git --ran"), "--range");
  EXPECT_EQ(bash_complete(script, "sentryscan scan --format js"), "json jsonl");
  EXPECT_EQ(bash_complete(script, "sentryscan scan --fail-on c"), "critical");
  EXPECT_EQ(bash_complete(script, "sentryscan completion f"), "fish");
  // A path argument completes file names.
  dir.write("report-input.txt", "x");
  EXPECT_EQ(bash_complete(script, "sentryscan scan '" + (dir.path() / "report-in").string() + "'"),
            (dir.path() / "report-input.txt").string());
}

TEST(ShellCompletion, AnUnknownShellIsAUsageError) {
  const CliResult result = run_sentryscan({"completion", "tcsh"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.out.empty());
  EXPECT_NE(result.err.find("{bash,zsh,fish}"), std::string::npos) << result.err;  // says which shells exist
}

// roff writes every '-' as "\-".
std::string roff_escaped(const std::string& text) {
  std::string escaped;
  for (char c : text) escaped += c == '-' ? std::string("\\-") : std::string(1, c);
  return escaped;
}

TEST(ManPage, IsGeneratedFromTheHelpText) {
  const CliResult result = run_sentryscan({"man-page"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string& page = result.out;
  EXPECT_TRUE(page.starts_with(".TH SENTRYSCAN 1 ")) << page.substr(0, 80);
  EXPECT_NE(page.find(".SH EXIT STATUS\n0 clean, 1 findings"), std::string::npos);
  for (const std::string& command : subcommands_in_help()) {
    EXPECT_NE(page.find(".SS \"" + roff_escaped(command) + "\""), std::string::npos) << command;
    for (const std::string& flag : flags_in_help(command))
      EXPECT_NE(page.find("\\fB" + roff_escaped(flag) + "\\fR"), std::string::npos) << command << " " << flag;
  }
  // The hidden generator itself is not advertised.
  EXPECT_EQ(run_sentryscan({"--help"}).out.find("man-page"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
