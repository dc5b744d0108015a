// Baselines (SPEC 2, Suppression): a previous json or jsonl report. Only the
// `fingerprint` of each finding is kept, so line numbers never matter.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "core/user_file.h"
#include "core/input_error.h"
#include "core/fingerprint_syntax.h"
#include "suppress/suppress.h"

namespace sentryscan {
namespace {

using nlohmann::json;

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::size_t line_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// nlohmann throws out_of_range, not parse_error, for a number too large for a
// double (found by fuzz_baseline: it aborted the CLI); its message quotes the number.
constexpr const char* kNumberOutOfRange = "malformed JSON: a number is out of range";

// nlohmann's message quotes the text it last read ("last read: '...'"), which
// may be part of a secret; keep only its description of the problem.
std::string describe(const json::parse_error& error) {
  std::string_view what = error.what();
  if (const auto p = what.find("syntax error"); p != std::string_view::npos) what.remove_prefix(p);
  what = what.substr(0, what.find("; last read:"));
  std::string message(what.substr(0, 160));
  return "malformed JSON: " + message;
}

// Byte offsets where each element of a (valid) top-level JSON array starts,
// so an invalid entry can be reported with its line.
std::vector<std::size_t> array_element_offsets(std::string_view text) {
  std::vector<std::size_t> offsets;
  int depth = 0;
  bool expecting_element = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_json_space(c)) continue;
    if (depth == 1 && expecting_element && c != ']') {
      offsets.push_back(i);
      expecting_element = false;
    }
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '[' || c == '{') {
      ++depth;
      if (depth == 1) expecting_element = true;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expecting_element = true;
    }
  }
  return offsets;
}

void collect(const json& entry, std::unordered_set<std::string>& out, const std::string& origin, std::size_t line,
             const std::string& which) {
  if (!entry.is_object()) throw InputError(origin, line, which + " is not a finding object");
  const auto it = entry.find("fingerprint");
  if (it == entry.end()) throw InputError(origin, line, which + " has no \"fingerprint\"");
  if (!it->is_string() || !is_fingerprint(it->get_ref<const std::string&>()))
    throw InputError(origin, line,
                     which + " has a \"fingerprint\" that is not 'sentryscan:v1:' followed by 32 lowercase hex digits");
  out.insert(it->get<std::string>());
}

// SARIF is what code scanning keeps, so people try it; say what to use instead.
void reject_sarif(const json& value, const std::string& origin) {
  if (value.is_object() && value.contains("runs"))
    throw InputError(origin, 0, "this is a SARIF report; a baseline is a json or jsonl report (--format json)");
}

std::unordered_set<std::string> parse_array(std::string_view text, const std::string& origin) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(origin, line_at(text, e.byte == 0 ? 0 : e.byte - 1), describe(e));
  } catch (const json::exception&) {
    throw InputError(origin, 0, kNumberOutOfRange);
  }
  // parse() accepted it and the first character is '[', so it is an array.
  std::unordered_set<std::string> fingerprints;
  const std::vector<std::size_t> offsets = array_element_offsets(text);
  for (std::size_t i = 0; i < document.size(); ++i) {
    const std::size_t line = i < offsets.size() ? line_at(text, offsets[i]) : 0;
    collect(document[i], fingerprints, origin, line, "entry " + std::to_string(i + 1));
  }
  return fingerprints;
}

std::unordered_set<std::string> parse_lines(std::string_view text, const std::string& origin) {
  std::unordered_set<std::string> fingerprints;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (std::all_of(line.begin(), line.end(), is_json_space)) continue;
    json entry;
    try {
      entry = json::parse(line);
    } catch (const json::parse_error& e) {
      throw InputError(origin, line_number, describe(e));
    } catch (const json::exception&) {
      throw InputError(origin, line_number, kNumberOutOfRange);
    }
    if (line_number == 1) reject_sarif(entry, origin);
    collect(entry, fingerprints, origin, line_number, "entry");
  }
  return fingerprints;
}

}  // namespace

std::unordered_set<std::string> load_baseline(const std::filesystem::path& path) {
  const UserFile file = read_user_file(path);
  if (!file.ok()) throw InputError(path.string(), 0, "cannot read baseline: " + file.error_text());
  return parse_baseline(file.text, path.string());
}

std::unordered_set<std::string> parse_baseline(std::string_view text, const std::string& origin) {
  text = strip_bom(text);
  const auto first = std::find_if_not(text.begin(), text.end(), is_json_space);
  // An empty file is far more likely a failed redirect than an intended
  // baseline; a report with no findings is written as `[]`.
  if (first == text.end()) throw InputError(origin, 0, "baseline is empty (a json report with no findings is '[]')");
  if (*first == '[') return parse_array(text, origin);
  // A document that parses whole is one object (a one-line jsonl report, or a
  // pretty-printed SARIF log); otherwise it is jsonl and parsed line by line.
  const json whole = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!whole.is_discarded()) {
    reject_sarif(whole, origin);
    std::unordered_set<std::string> fingerprints;
    collect(whole, fingerprints, origin, line_at(text, static_cast<std::size_t>(first - text.begin())), "entry");
    return fingerprints;
  }
  return parse_lines(text, origin);
}

}  // namespace sentryscan
