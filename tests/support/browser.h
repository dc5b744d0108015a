// Headless Chromium for tests of the html report: loads a local file through
// tests/support/browser_probe.py (DevTools protocol over a pipe, standard
// library only) and returns what the page did, as that script documents.
//
//   const auto chromium = find_chromium();
//   if (!chromium) SKIP_WITHOUT_CHROMIUM();
//   const nlohmann::json run = probe_page(*chromium, "report.html", {{{"click", "#sort-where"}}});
//   run["probes"][0]["rows"], run["log"], run["requests"], run["dialogs"]...
#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace sentryscan::testing {

// $SENTRYSCAN_CHROMIUM, else `chromium` or `chromium-browser` in PATH (Debian's
// package: scripts/packages.txt); nullopt when none is there.
std::optional<std::string> find_chromium();

// Throws std::runtime_error with the script's stderr when the harness fails.
nlohmann::json probe_page(const std::string& chromium, const std::filesystem::path& page,
                          const nlohmann::json& steps = nlohmann::json::array());

// Says so on stderr in capitals (a skipped browser test must not pass unnoticed), then skips.
#define SKIP_WITHOUT_CHROMIUM()                                                                       \
  do {                                                                                                \
    std::fprintf(stderr, "\n*** SKIPPED: chromium is not installed: the html report was NOT tested " \
                         "in a browser (apt-get install chromium; CI installs it) ***\n\n");         \
    GTEST_SKIP() << "chromium is not installed";                                                    \
  } while (false)

}  // namespace sentryscan::testing
