// Shared by the packaging tests: the artefacts the fixtures of
// tests/packaging/CMakeLists.txt built, and a scan a user would run.
//   const auto deb = only_file_in(SENTRYSCAN_DEB_DIR, ".deb");
//   expect_scan_finds_secrets(unpacked / "usr/bin/sentryscan", env);
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "support/archive.h"
#include "support/fake_sentry.h"
#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {

// The one file ending in `suffix` in `dir` (fails the test otherwise).
inline std::filesystem::path only_file_in(const std::filesystem::path& dir, const std::string& suffix) {
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().string().ends_with(suffix)) found.push_back(entry.path());
  EXPECT_EQ(found.size(), 1u) << "in " << dir << ": " << ec.message();
  return found.empty() ? std::filesystem::path() : found.front();
}

// Runs `binary` on a tree holding a token in a plain file and another inside
// a zip (libarchive), with --validate against a local Sentry (libcurl): the
// two dlopen-ed libraries are used. Returns stderr (LD_DEBUG writes there).
inline std::string expect_scan_finds_secrets(const std::filesystem::path& binary,
                                             std::map<std::string, std::string> env = {}) {
  FakeSentry sentry;  // every token is live
  TempDir dir;
  const std::string user = fake_user_token("packaging-plain");
  const std::string zipped = fake_user_token("packaging-zipped");
  dir.write("app/.env", "SENTRY_AUTH_TOKEN=" + user + "\n");
  dir.write("app/bundle.zip", make_zip({{"config/.env", "SENTRY_AUTH_TOKEN=" + zipped + "\n"}}));
  env["SENTRYSCAN_SAAS_URL"] = sentry.url();
  CliOptions options;
  options.env = env;
  const CliResult result = run_program(
      {binary.string(), "scan", "--format", "json", "--validate", "--allow-insecure-http", (dir.path() / "app").string()},
      options);
  EXPECT_EQ(result.exit_code, 1) << result.err.substr(0, 4000);
  nlohmann::json report;
  try {
    report = nlohmann::json::parse(result.out);
  } catch (const std::exception&) {
    ADD_FAILURE() << "not json: " << result.out.substr(0, 2000);
    return result.err;
  }
  EXPECT_EQ(report.size(), 2u) << result.out;
  for (const auto& finding : report) {
    EXPECT_EQ(finding["validation"]["status"], "live") << finding.dump();
  }
  EXPECT_NE(result.out.find("bundle.zip"), std::string::npos) << result.out;
  EXPECT_EQ(sentry.count(), 2u);
  return result.err;
}

}  // namespace sentryscan::testing
