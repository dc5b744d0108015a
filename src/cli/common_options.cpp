#include "cli/common_options.h"

#include <CLI/CLI.hpp>

#include "settings/size.h"

namespace sentryscan::cli {
namespace {

// "50MiB" -> "52428800", so the option stores bytes; a malformed size is a
// usage error naming the flag (exit 2).
std::string size_in_bytes(std::string text) {
  const auto size = parse_size(text);
  if (!size) throw CLI::ValidationError("not a size: " + text);
  return std::to_string(*size);
}

const std::map<std::string, Severity> kSeverities = {
    {"low", Severity::low}, {"medium", Severity::medium}, {"high", Severity::high}, {"critical", Severity::critical}};

}  // namespace

void add_common_options(CLI::App& command, LowArgs& args) {
  command.add_option("--format", args.format, "Report format: text, json, jsonl, sarif, github, gitlab, html")
      ->check(CLI::IsMember({"text", "json", "jsonl", "sarif", "github", "gitlab", "html"}));
  command.add_option("--group-by", args.group_by,
                     "One entry per secret or per location (default: secret for the text report of a history "
                     "audit, location otherwise)")
      ->check(CLI::IsMember({"location", "secret"}));
  command.add_option("--output,-o", args.output, "Write the report to FILE instead of standard output ('-': stdout)");
  command.add_option("--fail-on", args.fail_on, "Lowest severity that fails the run (default: medium)")
      ->transform(CLI::CheckedTransformer(kSeverities));
  command.add_flag("--show-secrets", args.show_secrets, "Print secrets in full (redacted by default)");
  command.add_flag("--include-author-email", args.author_email,
                   "Put commit authors' e-mail addresses in sarif, gitlab and html reports (json and text always have them)");
  command.add_option("--baseline", args.baseline, "Previous json report: its findings are not reported again");
  command.add_option("--write-baseline", args.write_baseline, "Write the findings as a baseline json report");
  command.add_option("--config", args.config, "The user's config file (default: $SENTRYSCAN_CONFIG, else the repository's .sentryscan.toml)");
  command.add_option("--threads,-j", args.threads, "Worker threads (default: all cores)");
  command.add_option("--max-file-size", args.max_file_size, "Skip (and report) larger files, e.g. 50MiB")
      ->transform(size_in_bytes);
  // One value per occurrence, so `--exclude GLOB PATH` does not eat PATH.
  command.add_option("--exclude", args.exclude, "Glob of paths not to scan (repeatable)")->allow_extra_args(false);
  command.add_option("--rules", args.rules_files, "Extra rules TOML file (repeatable)")->allow_extra_args(false);
  command.add_flag("--quiet,-q", args.quiet, "No warnings on standard error");
  auto* color = command.add_option("--color", args.color, "Colour the text report: auto (on a terminal), always, never")
                    ->check(CLI::IsMember({"auto", "always", "never"}));
  command.add_flag("--no-color", args.no_color, "Same as --color never")->excludes(color);
  command.add_option("--progress", args.progress, "Progress line on standard error: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command.add_option("--max-decode-depth", args.max_decode_depth,
                     "Nested encodings (base64, %XX, \\u escapes) to undo; 0: none (default 2)");
  command.add_option("--max-archive-depth", args.max_archive_depth, "Nested archives to expand; 0: none (default 3)");
  command.add_option("--max-archive-size", args.max_archive_size,
                     "Bytes expanded from one file's archives before stopping (default 256MiB)")
      ->transform(size_in_bytes);
  add_validate_flags(command, args.validate);
}

void add_validate_tuning_flags(CLI::App& command, validate::ValidationOptions& flags) {
  command.add_option("--sentry-url", flags.sentry_urls,
                     "Allow sending tokens to this self-hosted Sentry base URL (repeatable)")
      ->allow_extra_args(false);  // `--sentry-url URL PATH` must not take PATH as a second URL
  command.add_flag("--allow-insecure-http", flags.allow_insecure_http,
                   "Allow plain http:// base URLs (tokens travel unencrypted; for local test servers)");
  command.add_option("--validate-timeout", flags.timeout_seconds, "Seconds per request (default 10)")
      ->check(CLI::PositiveNumber);
  command.add_option("--validate-concurrency", flags.concurrency, "Requests in flight at once (default 4)")
      ->check(CLI::Range(1u, 64u));
  command.add_option("--validate-max-requests", flags.max_requests,
                     "Most HTTP requests per run, retries included (default 1000)")
      ->check(CLI::PositiveNumber);
  command.add_option("--ca-cert", flags.ca_cert, "PEM file of CA certificates to trust (self-hosted CAs)");
  command.add_option("--validation-cache", flags.cache_file,
                     "Keep live/revoked results in FILE across runs (keyed by sha256, never the secret)");
  command.add_option("--validation-cache-ttl", flags.cache_ttl_hours, "Hours a cached result stays valid (default 24)")
      ->check(CLI::NonNegativeNumber);
}

void add_validate_flags(CLI::App& command, validate::ValidationOptions& flags) {
  auto* validate = command.add_flag("--validate", flags.enabled,
                                    "Ask the Sentry API whether each credential is live (network access)");
  command.add_flag("--only-live", flags.only_live,
                   "Leave revoked and skipped credentials out of the report; ones that could not be checked stay "
                   "(needs --validate)")
      ->needs(validate);
  add_validate_tuning_flags(command, flags);
}

}  // namespace sentryscan::cli
