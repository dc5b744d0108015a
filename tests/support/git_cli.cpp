#include "support/git_cli.h"

#include "core/secret_hash.h"
#include "support/fake_tokens.h"

namespace sentryscan::testing {

GitScan git_scan(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                 const std::map<std::string, std::string>& env) {
  std::vector<std::string> full = args;
  full.insert(full.end(), {"--format", "json", "--no-color"});
  CliOptions options;
  options.cwd = cwd;
  options.env = git_test_env();
  for (const auto& [key, value] : env) options.env[key] = value;
  GitScan scan{run_sentryscan(full, options), nlohmann::json::array()};
  auto parsed = nlohmann::json::parse(scan.process.out, nullptr, false);
  if (!parsed.is_discarded() && parsed.is_array()) scan.findings = std::move(parsed);
  return scan;
}

std::vector<nlohmann::json> findings_of(const nlohmann::json& findings, const std::string& secret) {
  const std::string hash = sha256_hex(secret);
  std::vector<nlohmann::json> out;
  for (const auto& f : findings)
    if (f.value("secret_sha256", "") == hash) out.push_back(f);
  return out;
}

std::string user_token(const std::string& seed) { return fake_user_token(seed); }

std::string user_token_line(const std::string& seed) { return "SENTRY_AUTH_TOKEN=" + fake_user_token(seed) + "\n"; }

}  // namespace sentryscan::testing
