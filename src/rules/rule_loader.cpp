#include "rules/rule_loader.h"

#include <fmt/format.h>

#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "core/input_error.h"

namespace sentryscan {

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_rule_files();

namespace {

std::size_t line_of(const toml::node& node) { return node.source().begin.line; }

class RuleParser {
 public:
  explicit RuleParser(std::string_view origin) : origin_(origin) {}

  std::vector<Rule> parse(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, origin_);
    } catch (const toml::parse_error& e) {
      throw InputError(origin_, e.source().begin.line, std::string(e.description()));
    }
    std::vector<Rule> rules;
    for (auto&& [key, node] : root) {
      if (key.str() != "rule") fail(node, fmt::format("unknown key '{}'", key.str()));
    }
    const auto* array = root["rule"].as_array();
    if (!array) throw InputError(origin_, 0, "no [[rule]] tables");
    for (auto& node : *array) {
      const auto* table = node.as_table();
      if (!table) fail(node, "[[rule]] must be a table");
      rules.push_back(parse_rule(*table));
    }
    return rules;
  }

 private:
  [[noreturn]] void fail(const toml::node& node, const std::string& message) const {
    throw InputError(origin_, line_of(node), message);
  }

  std::string string_at(const toml::table& table, std::string_view key, bool required) const {
    const auto* node = table.get(key);
    if (!node) {
      if (required) throw InputError(origin_, line_of(table), fmt::format("missing key '{}'", key));
      return {};
    }
    const auto* value = node->as_string();
    if (!value) fail(*node, fmt::format("'{}' must be a string", key));
    return value->get();
  }

  static RuleCheck parse_check(std::string_view name, bool& ok) {
    ok = true;
    if (name.empty() || name == "none") return RuleCheck::none;
    if (name == "org_token") return RuleCheck::org_token;
    if (name == "dsn") return RuleCheck::dsn;
    if (name == "sentry_key_param") return RuleCheck::sentry_key_param;
    if (name == "sentry_context") return RuleCheck::sentry_context;
    if (name == "sentry_api_context") return RuleCheck::sentry_api_context;
    if (name == "ini_auth_section") return RuleCheck::ini_auth_section;
    if (name == "not_digest_listing") return RuleCheck::not_digest_listing;
    ok = false;
    return RuleCheck::none;
  }

  Rule parse_rule(const toml::table& table) const {
    static const std::set<std::string_view> kKeys{"id", "description", "help", "severity", "check", "token_chars",
                                                  "unprefixed", "pattern", "example", "counter_example"};
    for (auto&& [key, node] : table)
      if (!kKeys.contains(key.str())) fail(node, fmt::format("unknown key '{}'", key.str()));
    Rule rule;
    rule.origin = origin_;
    rule.id = string_at(table, "id", true);
    rule.description = string_at(table, "description", true);
    rule.help = string_at(table, "help", false);
    const auto severity = parse_severity(string_at(table, "severity", true));
    if (!severity) fail(*table.get("severity"), "severity must be low, medium, high or critical");
    rule.severity = *severity;
    bool ok = true;
    rule.check = parse_check(string_at(table, "check", false), ok);
    if (!ok) fail(*table.get("check"), "unknown check");
    if (table.contains("token_chars")) rule.token_chars = string_at(table, "token_chars", true);
    if (const auto* node = table.get("unprefixed")) {
      const auto* flag = node->as_boolean();
      if (!flag) fail(*node, "'unprefixed' must be true or false");
      rule.unprefixed = flag->get();
    }
    for_each_table(table, "pattern", [&](const toml::table& t) { rule.patterns.push_back(parse_pattern(t, rule.check)); });
    if (rule.patterns.empty()) fail(table, fmt::format("rule '{}' has no [[rule.pattern]]", rule.id));
    for_each_table(table, "example", [&](const toml::table& t) { rule.examples.push_back(parse_example(t, true)); });
    for_each_table(table, "counter_example",
                   [&](const toml::table& t) { rule.counter_examples.push_back(parse_example(t, false)); });
    return rule;
  }

  template <typename Fn>
  void for_each_table(const toml::table& table, std::string_view key, Fn&& fn) const {
    const auto* node = table.get(key);
    if (!node) return;
    const auto* array = node->as_array();
    if (!array) fail(*node, fmt::format("'{}' must be an array of tables ([[rule.{}]])", key, key));
    for (auto& element : *array) {
      const auto* t = element.as_table();
      if (!t) fail(element, fmt::format("'{}' entries must be tables", key));
      fn(*t);
    }
  }

  RulePattern parse_pattern(const toml::table& table, RuleCheck default_check) const {
    for (auto&& [key, node] : table)
      if (key.str() != "prefilter" && key.str() != "confirm" && key.str() != "window" && key.str() != "check")
        fail(node, fmt::format("unknown key '{}'", key.str()));
    RulePattern pattern;
    pattern.prefilter = string_at(table, "prefilter", true);
    pattern.confirm = string_at(table, "confirm", true);
    pattern.line = line_of(table);
    pattern.check = default_check;
    if (table.contains("check")) {
      bool ok = true;
      pattern.check = parse_check(string_at(table, "check", true), ok);
      if (!ok) fail(*table.get("check"), "unknown check");
    }
    if (const auto* node = table.get("window")) {
      const auto* value = node->as_integer();
      if (!value || value->get() < 16 || value->get() > 65536) fail(*node, "'window' must be an integer 16..65536");
      pattern.window = static_cast<std::size_t>(value->get());
    }
    return pattern;
  }

  RuleExample parse_example(const toml::table& table, bool needs_secret) const {
    for (auto&& [key, node] : table)
      if (key.str() != "text" && key.str() != "secret" && key.str() != "path")
        fail(node, fmt::format("unknown key '{}'", key.str()));
    RuleExample example;
    example.text = string_at(table, "text", true);
    example.secret = string_at(table, "secret", needs_secret);
    example.path = string_at(table, "path", false);
    example.line = line_of(table);
    return example;
  }

  std::string origin_;
};

}  // namespace

std::vector<Rule> parse_rules(std::string_view toml_text, std::string_view origin) {
  return RuleParser(origin).parse(toml_text);
}

std::vector<Rule> default_rules() {
  std::vector<Rule> rules;
  for (const auto& [name, text] : embedded_rule_files()) {
    auto parsed = parse_rules(text, name);
    for (Rule& rule : parsed) rule.builtin = true;
    rules.insert(rules.end(), std::make_move_iterator(parsed.begin()), std::make_move_iterator(parsed.end()));
  }
  return rules;
}

std::vector<Rule> load_rules(const std::vector<std::filesystem::path>& extra_files) {
  std::vector<Rule> rules = default_rules();
  for (const auto& path : extra_files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string(), 0, "cannot read rules file");
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = parse_rules(text.str(), path.string());
    rules.insert(rules.end(), std::make_move_iterator(parsed.begin()), std::make_move_iterator(parsed.end()));
  }
  std::set<std::string> ids;
  for (const auto& rule : rules)
    if (!ids.insert(rule.id).second) throw InputError(rule.origin, 0, fmt::format("duplicate rule id '{}'", rule.id));
  return rules;
}

}  // namespace sentryscan
