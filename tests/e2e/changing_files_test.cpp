// SPEC 8: files that change size or vanish while the scan reads them. None of
// it may crash the scanner or lose the findings in the files that hold still.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "support/scan_cli.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

bool has_secret(const nlohmann::json& findings, const std::string& secret) {
  for (const auto& f : findings)
    if (f["secret"] == secret) return true;
  return false;
}

// /proc files say they are empty (st_size 0) and are not: the reader must
// read to EOF instead of trusting stat. The child's own environment is a file
// whose content the test controls.
TEST(ChangingFiles, SizeFromStatIsNotTrusted) {
  const std::string token = fake_user_token("proc environ");
  CliOptions options;
  options.env["SENTRY_AUTH_TOKEN"] = token;
  const auto scan = scan_json({"--show-secrets", "/proc/self/environ"}, options);
  EXPECT_EQ(scan.process.exit_code, 1) << scan.process.err;
  EXPECT_TRUE(has_secret(scan.findings, token)) << scan.process.out;
}

// A writer thread keeps growing, truncating and rewriting one file and
// creating and deleting others while the tree is scanned again and again.
TEST(ChangingFiles, FilesChangingAndVanishingDuringTheScan) {
  TempDir dir;
  const std::string stable = fake_user_token("stable");
  dir.write("stable/leak.env", "SENTRY_AUTH_TOKEN=" + stable + "\n");
  const auto churn = dir.path() / "churn";
  std::filesystem::create_directories(churn);
  const std::string big(1 << 20, 'x');
  const std::string token_line = "SENTRY_AUTH_TOKEN=" + fake_user_token("churning") + "\n";

  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (unsigned round = 0; !stop.load(); ++round) {
      const int fd = open((churn / "growing.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0) continue;
      for (int i = 0; i < 4 && !stop.load(); ++i) {
        (void)!write(fd, big.data(), big.size());
        (void)!write(fd, token_line.data(), token_line.size());
        if (i == 2) (void)!ftruncate(fd, 100);
      }
      close(fd);
      const auto name = churn / ("vanishing-" + std::to_string(round % 50) + ".env");
      if (round % 2 == 0) {
        const int v = open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (v >= 0) {
          (void)!write(v, token_line.data(), token_line.size());
          close(v);
        }
      } else {
        std::error_code ignored;
        std::filesystem::remove(name, ignored);
        std::filesystem::remove_all(churn / ("dir-" + std::to_string(round % 7)), ignored);
      }
      std::error_code ignored;
      std::filesystem::create_directories(churn / ("dir-" + std::to_string((round + 3) % 7)) / "sub", ignored);
    }
  });
  CliOptions options;
  options.timeout_seconds = 60;
  for (int i = 0; i < 8; ++i) {
    const auto scan = scan_json({"--show-secrets", "--threads", "2", dir.path().string()}, options);
    EXPECT_EQ(scan.process.exit_code, 1) << "scan " << i << "\n" << scan.process.err;
    EXPECT_TRUE(has_secret(scan.findings, stable)) << "scan " << i;
  }
  stop = true;
  writer.join();
}

}  // namespace
}  // namespace sentryscan::testing
