// `sentryscan merge REPORT…`: shard reports of an organisation audit into one.
#include <CLI/CLI.hpp>

#include <map>
#include <memory>

#include "app/multi_run.h"
#include "cli/commands.h"

namespace sentryscan::cli {

void register_merge_command(CLI::App& app, int& exit_code) {
  struct State {
    LowArgs args;
    std::vector<std::string> reports;
  };
  auto state = std::make_shared<State>();
  CLI::App* command = app.add_subcommand(
      "merge", "Combine the json/jsonl shard reports of `git --shard I/N` (and their manifests) into one report");
  command->add_option("reports", state->reports, "Shard reports (each with REPORT.manifest.json next to it)")
      ->required();
  LowArgs& args = state->args;
  command->add_option("--format", args.format, "Report format: text, json, jsonl, sarif, github, gitlab")
      ->check(CLI::IsMember({"text", "json", "jsonl", "sarif", "github", "gitlab"}));
  command->add_option("--output,-o", args.output, "Write the report to FILE instead of standard output ('-': stdout)");
  const std::map<std::string, Severity> severities = {
      {"low", Severity::low}, {"medium", Severity::medium}, {"high", Severity::high}, {"critical", Severity::critical}};
  command->add_option("--fail-on", args.fail_on, "Lowest severity that fails the merged run (default: medium)")
      ->transform(CLI::CheckedTransformer(severities));
  command->add_flag("--include-author-email", args.author_email,
                    "Put commit authors' e-mail addresses in sarif and gitlab reports");
  command->add_flag("--quiet,-q", args.quiet, "No warnings on standard error");
  auto* color = command->add_option("--color", args.color, "Colour the text report: auto (on a terminal), always, never")
                    ->check(CLI::IsMember({"auto", "always", "never"}));
  command->add_flag("--no-color", args.no_color, "Same as --color never")->excludes(color);
  command->footer(
      "Secrets appear as the shards wrote them (redacted unless they ran with --show-secrets). Exit status: as one "
      "run over the whole list, findings re-judged with --fail-on; 3 when a shard is missing, given twice, "
      "incomplete, or of another list or other settings.");
  command->callback([state, &exit_code] { exit_code = run_merge(state->args, state->reports); });
}

}  // namespace sentryscan::cli
