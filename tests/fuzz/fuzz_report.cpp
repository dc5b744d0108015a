// The reporters over findings and issues whose text fields (paths, commit
// metadata, decoded token facts, server details, secrets) are arbitrary bytes:
// newlines, control characters, invalid UTF-8.
//
// Invariants:
// - json and sarif output always parse as JSON; jsonl is one parsable object
//   per finding per line; SARIF results point at the rule they name;
// - github output is one workflow command per line (nothing can start a
//   command of its own); text output without colour holds no control bytes
//   but newlines, so a path cannot rewrite the terminal or fake a line;
// - without --show-secrets no format contains a secret whole.
#include <fuzzer/FuzzedDataProvider.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "core/secret_hash.h"
#include "fuzz_support.h"
#include "report/report.h"
#include "rules/rule_loader.h"

namespace sentryscan::fuzz {
namespace {

const std::vector<Rule>& rules() {
  static const std::vector<Rule> r = default_rules();
  return r;
}

std::string hex_of(FuzzedDataProvider& in, std::size_t max) {
  std::string raw = in.ConsumeRandomLengthString(max);
  return sha256_hex(raw).substr(0, std::min<std::size_t>(40, raw.size() * 2));
}

Finding make_finding(FuzzedDataProvider& in, bool realistic_secret) {
  Finding f;
  const auto& all = rules();
  const Rule& rule = all[in.ConsumeIntegralInRange<std::size_t>(0, all.size() - 1)];
  f.rule_id = rule.id;
  f.severity = rule.severity;
  f.description = rule.description;
  const std::string raw_secret = in.ConsumeRandomLengthString(300);
  // Secrets the scanner could report are printable; a hash keeps them unique,
  // so a leak check cannot trip over text the fuzzer copied elsewhere.
  f.secret = realistic_secret ? "sntryu_" + sha256_hex(raw_secret) + sha256_hex(raw_secret + "2") : raw_secret;
  f.fingerprint = fingerprint(f.rule_id, f.secret);
  f.location.line = in.ConsumeIntegral<std::uint32_t>();
  f.location.column = in.ConsumeIntegral<std::uint32_t>();
  f.location.end_line = in.ConsumeIntegral<std::uint32_t>();
  f.location.end_column = in.ConsumeIntegral<std::uint32_t>();
  f.source.kind = static_cast<SourceKind>(in.ConsumeIntegralInRange<int>(0, 3));
  f.source.path = in.ConsumeRandomLengthString(200);
  if (in.ConsumeBool()) {
    // Commit and blob ids come from libgit2 as hex; everything else is user text.
    f.source.commit = hex_of(in, 40);
    f.source.blob = hex_of(in, 40);
    f.source.author = in.ConsumeRandomLengthString(80);
    f.source.email = in.ConsumeRandomLengthString(80);
    f.source.date = in.ConsumeRandomLengthString(40);
    f.source.message = in.ConsumeRandomLengthString(200);
    f.source.other_locations = in.ConsumeIntegral<std::uint16_t>();
  }
  f.binary = in.ConsumeBool();
  f.allowed_inline = in.ConsumeBool();
  if (in.ConsumeBool()) f.decoded.push_back("base64");
  if (in.ConsumeBool()) {
    TokenInfo token;
    token.org = in.ConsumeRandomLengthString(60);
    if (in.ConsumeBool()) token.url = in.ConsumeRandomLengthString(80);
    token.region_url = in.ConsumeRandomLengthString(80);
    token.issued_at = in.ConsumeRandomLengthString(30);
    f.token = token;
  }
  if (in.ConsumeBool()) {
    DsnInfo dsn;
    dsn.host = in.ConsumeRandomLengthString(80);
    dsn.project_id = in.ConsumeRandomLengthString(20);
    dsn.org_id = in.ConsumeRandomLengthString(20);
    dsn.region = in.ConsumeRandomLengthString(4);
    dsn.saas = in.ConsumeBool();
    dsn.has_secret = in.ConsumeBool();
    f.dsn = dsn;
  }
  f.validation.status = static_cast<ValidationStatus>(in.ConsumeIntegralInRange<int>(0, 4));
  f.validation.http_status = in.ConsumeIntegralInRange<int>(0, 999);
  f.validation.detail = in.ConsumeRandomLengthString(120);
  return f;
}

Report make_report(FuzzedDataProvider& in, bool realistic_secrets) {
  Report report;
  const std::size_t findings = in.ConsumeIntegralInRange<std::size_t>(0, 6);
  for (std::size_t i = 0; i < findings && in.remaining_bytes() > 0; ++i)
    report.findings.push_back(make_finding(in, realistic_secrets));
  const std::size_t issues = in.ConsumeIntegralInRange<std::size_t>(0, 3);
  for (std::size_t i = 0; i < issues; ++i) {
    ScanIssue issue;
    issue.kind = in.ConsumeBool() ? ScanIssue::Kind::incomplete : ScanIssue::Kind::warning;
    issue.where = in.ConsumeRandomLengthString(120);
    issue.message = in.ConsumeRandomLengthString(120);
    report.issues.push_back(std::move(issue));
  }
  report.suppressed.inline_allow = in.ConsumeIntegral<std::uint16_t>();
  report.suppressed.baseline = in.ConsumeIntegral<std::uint16_t>();
  report.stats.items_scanned = in.ConsumeIntegral<std::uint32_t>();
  report.stats.bytes_scanned = in.ConsumeIntegral<std::uint64_t>();
  report.stats.seconds = in.ConsumeFloatingPoint<double>();
  if (in.ConsumeBool()) report.rules = &rules();
  return report;
}

std::string render(ReportFormat format, const Report& report, const ReportOptions& options) {
  std::ostringstream out;
  write_report(out, format, report, options);
  return out.str();
}

nlohmann::json parse_or_die(const std::string& text, const char* what) {
  nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  FUZZ_CHECK(!value.is_discarded(), what);
  return value;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct Outputs {
  std::string text, json, jsonl, sarif, github, gitlab, html;
};

Outputs render_all(const Report& report, const ReportOptions& options) {
  return {render(ReportFormat::text, report, options), render(ReportFormat::json, report, options),
          render(ReportFormat::jsonl, report, options), render(ReportFormat::sarif, report, options),
          render(ReportFormat::github, report, options), render(ReportFormat::gitlab, report, options),
          render(ReportFormat::html, report, options)};
}

void check_formats(const Report& report, const Outputs& out) {
  const auto json = parse_or_die(out.json, "json output parses");
  FUZZ_CHECK(json.is_array() && json.size() == report.findings.size(), "json: one object per finding");

  const auto jsonl = lines_of(out.jsonl);
  FUZZ_CHECK(jsonl.size() == report.findings.size(), "jsonl: one line per finding");
  for (const auto& line : jsonl) FUZZ_CHECK(parse_or_die(line, "jsonl line parses").is_object(), "jsonl object");

  const auto gitlab = parse_or_die(out.gitlab, "gitlab output parses");
  FUZZ_CHECK(gitlab.at("vulnerabilities").size() == report.findings.size(), "gitlab: one vulnerability per finding");

  const auto sarif = parse_or_die(out.sarif, "sarif output parses");
  const auto& run = sarif.at("runs").at(0);
  const auto& results = run.at("results");
  const auto& sarif_rules = run.at("tool").at("driver").at("rules");
  FUZZ_CHECK(results.size() == report.findings.size(), "sarif: one result per finding");
  for (const auto& result : results) {
    const auto index = result.at("ruleIndex").get<std::size_t>();
    FUZZ_CHECK(index < sarif_rules.size() && sarif_rules[index].at("id") == result.at("ruleId"),
               "sarif: ruleIndex names the result's rule");
  }

  const auto github = lines_of(out.github);
  FUZZ_CHECK(github.size() == report.findings.size() + report.issues.size() + 1,
             "github: one workflow command per finding and issue, plus the summary");
  for (const auto& line : github) FUZZ_CHECK(line.starts_with("::"), "github: every line is a command");

  // html: the data block is the first </script> after its opening tag, so
  // nothing in the data may close it early; what it holds parses.
  const std::string open = "<script type=\"application/json\" id=\"sentryscan-data\">";
  const auto start = out.html.find(open);
  FUZZ_CHECK(start != std::string::npos, "html: has its data block");
  const auto end = out.html.find("</script>", start);
  const auto data = parse_or_die(out.html.substr(start + open.size(), end - start - open.size()), "html data parses");
  FUZZ_CHECK(data.at("findings").size() == report.findings.size(), "html: one row per finding");
  std::size_t closes = 0;
  for (auto at = out.html.find("</"); at != std::string::npos; at = out.html.find("</", at + 1))
    if (out.html.compare(at, 8, "</script") == 0) ++closes;
  FUZZ_CHECK(closes == 2, "html: the data block and the page script are the only scripts");

  for (char c : out.text) {
    const auto byte = static_cast<unsigned char>(c);
    FUZZ_CHECK(c == '\n' || (byte >= 0x20 && byte != 0x7F), "text: no control bytes but newlines");
  }
}

void check_no_secret(const Report& report, const Outputs& out) {
  for (const std::string* format : {&out.text, &out.json, &out.jsonl, &out.sarif, &out.github, &out.html})
    for (const auto& finding : report.findings)
      FUZZ_CHECK(format->find(finding.secret) == std::string::npos, "redacted output never holds a secret whole");
}

}  // namespace
}  // namespace sentryscan::fuzz

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace sentryscan;
  using namespace sentryscan::fuzz;
  FuzzedDataProvider in(data, size);
  const bool realistic = in.ConsumeBool();
  ReportOptions options;
  options.show_secrets = !realistic;
  options.fail_on = static_cast<Severity>(in.ConsumeIntegralInRange<int>(0, 3));
  const Report report = make_report(in, realistic);
  const Outputs out = render_all(report, options);
  check_formats(report, out);
  if (realistic) check_no_secret(report, out);
  return 0;
}
