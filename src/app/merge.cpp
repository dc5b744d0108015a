// `sentryscan merge REPORT…`: the shards of an organisation audit back into
// one report, one summary and one exit status (app/multi_run.h).
#include <algorithm>
#include <ctime>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/config_files.h"
#include "app/manifest.h"
#include "app/multi_run.h"
#include "app/report_file.h"
#include "app/run_scan.h"
#include "core/diagnostics.h"
#include "core/input_error.h"
#include "core/secret_hash.h"
#include "core/user_file.h"
#include "report/finding_json.h"
#include "report/report.h"
#include "rules/rule_loader.h"

namespace sentryscan {
namespace {

struct Shard {
  std::string path;
  Manifest manifest;
  std::vector<Finding> findings;
};

// Findings of a json (array) or jsonl report; throws with the line on error.
std::vector<Finding> read_findings(const std::string& text) {
  std::vector<Finding> findings;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '[') {
    for (const auto& object : nlohmann::json::parse(text)) findings.push_back(finding_from_reported_json(object));
    return findings;
  }
  std::size_t line = 0, begin = 0;
  while (begin < text.size()) {
    const auto end = std::min(text.find('\n', begin), text.size());
    ++line;
    const std::string_view row(text.data() + begin, end - begin);
    begin = end + 1;
    if (row.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    try {
      findings.push_back(finding_from_reported_json(nlohmann::json::parse(row)));
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("line {}: {}", line, e.what()));
    }
  }
  return findings;
}

// Reads one shard; what is wrong with it becomes an incomplete issue.
std::optional<Shard> read_shard(const std::string& path, std::vector<ScanIssue>& issues) {
  auto problem = [&](const std::string& message) {
    issues.push_back({ScanIssue::Kind::incomplete, path, message});
    return std::nullopt;
  };
  const UserFile report = read_user_file(path);
  if (!report.ok()) return problem("cannot read the report: " + report.error_text());
  const UserFile manifest = read_user_file(manifest_path(path));
  if (!manifest.ok())
    return problem(fmt::format("cannot read its manifest {}: {}", manifest_path(path), manifest.error_text()));
  Shard shard{path, {}, {}};
  try {
    shard.manifest = manifest_from_json(manifest.text, manifest_path(path));
  } catch (const InputError& e) {
    return problem(e.what());
  }
  if (shard.manifest.report_sha256 != sha256_hex(report.text))
    return problem("the report is not the one its manifest describes (changed or cut short after it was written)");
  try {
    shard.findings = read_findings(report.text);
  } catch (const std::exception& e) {
    return problem(fmt::format("not a json/jsonl report: {}", e.what()));
  }
  return shard;
}

// Coverage: every shard of 0..N-1 exactly once, all of one list and one set
// of settings. Returns the shards to merge (duplicates and strangers left out).
std::vector<Shard> check_coverage(std::vector<Shard> shards, std::vector<ScanIssue>& issues) {
  std::vector<Shard> kept;
  if (shards.empty()) return kept;
  // Copies: the shards are moved out below.
  const Manifest first = shards.front().manifest;
  const std::string first_path = shards.front().path;
  std::map<std::uint32_t, std::string> seen;
  for (auto& shard : shards) {
    const Manifest& m = shard.manifest;
    if (m.shard.count != first.shard.count || m.list_sha256 != first.list_sha256) {
      issues.push_back({ScanIssue::Kind::incomplete, shard.path,
                        fmt::format("shard {}/{} of another repository list than {} (shard {}/{}): not merged",
                                    m.shard.index, m.shard.count, first_path, first.shard.index,
                                    first.shard.count)});
      continue;
    }
    if (m.settings_sha256 != first.settings_sha256) {
      issues.push_back({ScanIssue::Kind::incomplete, shard.path,
                        fmt::format("made with other settings (rules, limits, excludes, baseline, version…) than {}: "
                                    "not merged",
                                    first_path)});
      continue;
    }
    if (auto [it, added] = seen.emplace(m.shard.index, shard.path); !added) {
      issues.push_back({ScanIssue::Kind::incomplete, shard.path,
                        fmt::format("shard {}/{} was given twice (also {}): merged once", m.shard.index, m.shard.count,
                                    it->second)});
      continue;
    }
    kept.push_back(std::move(shard));
  }
  for (std::uint32_t i = 0; i < first.shard.count; ++i)
    if (!seen.contains(i))
      issues.push_back({ScanIssue::Kind::incomplete, "",
                        fmt::format("shard {}/{} is missing: its repositories were not merged", i, first.shard.count)});
  return kept;
}

void add_shard(Report& report, Shard& shard, std::vector<ScanIssue>& issues) {
  const Manifest& m = shard.manifest;
  for (auto& f : shard.findings) report.findings.push_back(std::move(f));
  for (const auto& issue : m.issues) issues.push_back(issue);
  const bool said = std::any_of(m.issues.begin(), m.issues.end(),
                                [](const ScanIssue& i) { return i.kind == ScanIssue::Kind::incomplete; });
  if (!m.complete && !said)
    issues.push_back({ScanIssue::Kind::incomplete, shard.path, "this shard's audit was incomplete"});
  report.stats.items_scanned += m.stats.items_scanned;
  report.stats.bytes_scanned += m.stats.bytes_scanned;
  report.stats.items_skipped += m.stats.items_skipped;
  report.stats.item_noun = m.stats.item_noun;
  // The shards ran side by side: the merged run took as long as the longest.
  report.stats.seconds = std::max(report.stats.seconds, m.stats.seconds);
  report.suppressed.inline_allow += m.suppressed.inline_allow;
  report.suppressed.ignore_file += m.suppressed.ignore_file;
  report.suppressed.baseline += m.suppressed.baseline;
  report.validation.enabled = report.validation.enabled || m.validation.enabled;
  report.validation.only_live = report.validation.only_live || m.validation.only_live;
  report.validation.live += m.validation.live;
  report.validation.revoked += m.validation.revoked;
  report.validation.unknown += m.validation.unknown;
  report.validation.skipped += m.validation.skipped;
  report.finished_at = std::max(report.finished_at, m.finished_at);
}

}  // namespace

int run_merge(const LowArgs& args, const std::vector<std::string>& reports) {
  std::optional<Settings> settings = load_settings(args, std::nullopt);
  if (!settings) return kExitUsage;
  if (!settings->output.empty())
    if (auto problem = report_file_problem(settings->output)) {
      print_error("cannot write report to {}: {}", settings->output, *problem);
      return kExitUsage;
    }
  std::vector<ScanIssue> merge_issues;
  std::vector<Shard> shards;
  for (const auto& path : reports)
    if (auto shard = read_shard(path, merge_issues)) shards.push_back(std::move(*shard));
  if (shards.empty() && merge_issues.empty())
    merge_issues.push_back({ScanIssue::Kind::incomplete, "", "no shard reports to merge"});
  shards = check_coverage(std::move(shards), merge_issues);

  const std::vector<Rule> rules = load_rules({});
  Report report;
  report.rules = &rules;
  report.stats.item_noun = "blobs";
  std::vector<ScanIssue> issues;
  for (auto& shard : shards) add_shard(report, shard, issues);
  for (auto& issue : merge_issues) issues.push_back(std::move(issue));
  report.issues = std::move(issues);
  sort_findings(report.findings);
  if (report.finished_at == 0) report.finished_at = std::time(nullptr);
  return write_and_judge(*settings, report);
}

}  // namespace sentryscan
