// The GitHub Action's release-archive inputs (action.yml): the steps' own
// shell, run under bash as the runner would, download a release archive from a
// local HTTP server (or take a file), check its SHA-256, unpack it, and the
// Scan step then gates a push with the unpacked binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/action_step.h"
#include "support/fake_sentry.h"
#include "support/git_cli.h"

namespace sentryscan::testing {
namespace {

const char* const kUnpack = "Unpack the sentryscan release archive";
const char* const kTopFolder = "sentryscan-0.1.0-x86_64-linux";

// sentryscan-0.1.0-x86_64-linux.tar.gz, made with tar as the release is, whose
// bin/sentryscan runs the built binary: a script that execs it, since gzipping
// the 60 MB RelWithDebInfo binary itself takes seconds.
std::filesystem::path make_release_archive(const TempDir& dir) {
  const auto bin = dir.path() / "tree" / kTopFolder / "bin";
  dir.write(bin / "sentryscan", std::string("#!/bin/sh\nexec '") + SENTRYSCAN_BINARY + "' \"$@\"\n");
  std::filesystem::permissions(bin / "sentryscan", std::filesystem::perms::owner_all |
                                                       std::filesystem::perms::group_read | std::filesystem::perms::group_exec |
                                                       std::filesystem::perms::others_read | std::filesystem::perms::others_exec);
  const auto archive = dir.path() / (std::string(kTopFolder) + ".tar.gz");
  const CliResult tar = run_program({"tar", "-czf", archive.string(), "-C", (dir.path() / "tree").string(), kTopFolder});
  if (tar.exit_code != 0) throw std::runtime_error("tar failed: " + tar.err);
  return archive;
}

std::string sha256_of(const std::filesystem::path& file) {
  const CliResult sum = run_program({"sha256sum", file.string()});
  return sum.out.substr(0, 64);
}

// A pushed commit that adds a token: what the Scan step gates on a push event.
struct PushedLeak {
  GitRepo repo;
  std::string before;
  std::string head;
  PushedLeak() {
    before = repo.commit_file("README", "x\n", "init");
    head = repo.commit_file("deploy.env", user_token_line("action-release"), "leak");
  }
};

std::map<std::string, std::string> scan_env(const PushedLeak& push) {
  return {{"EVENT", "push"},          {"PR_BASE", ""},           {"PR_HEAD", ""},
          {"PUSH_BEFORE", push.before}, {"HEAD_SHA", push.head}, {"INPUT_BINARY", ""},
          {"INPUT_IMAGE", ""},        {"INPUT_PATH", "."},       {"INPUT_RANGE", ""},
          {"INPUT_FAIL_ON", "medium"}, {"INPUT_SARIF", "true"},  {"INPUT_ANNOTATIONS", "true"},
          {"INPUT_ARGS", ""}};
}

TEST(ActionReleaseCli, ReleaseUrlIsDownloadedUnpackedAndGatesThePush) {
  TempDir dir;
  const auto archive = make_release_archive(dir);
  const std::string bytes = read_file(archive);
  FakeSentry server(answer(200, bytes, "application/gzip"));

  ActionRunner runner;
  const CliResult unpack = runner.run(kUnpack, {{"INPUT_RELEASE_URL", server.url() + "/" + archive.filename().string()},
                                                {"INPUT_RELEASE_ARCHIVE", ""},
                                                {"INPUT_RELEASE_SHA256", sha256_of(archive)}});
  ASSERT_EQ(unpack.exit_code, 0) << unpack.out << unpack.err;
  EXPECT_EQ(server.count(), 1u);
  EXPECT_NE(unpack.out.find("0.1.0"), std::string::npos) << unpack.out;  // it ran the binary's --version
  const auto installed = runner.env_file()["SENTRYSCAN_ACTION_BINARY"];
  EXPECT_EQ(installed, (runner.runner_temp() / "sentryscan-release" / kTopFolder / "bin" / "sentryscan").string());

  PushedLeak push;
  const CliResult scan = runner.run("Scan", scan_env(push), push.repo.path());
  EXPECT_EQ(scan.exit_code, 0) << scan.err;  // the step hands the status to the Gate step
  EXPECT_EQ(runner.outputs()["exit-code"], "1") << scan.out << scan.err;
  const std::string sarif = read_file(runner.outputs()["sarif-file"]);
  EXPECT_NE(sarif.find("deploy.env"), std::string::npos);
  EXPECT_NE(scan.out.find("file=deploy.env"), std::string::npos) << scan.out;  // the annotation
}

TEST(ActionReleaseCli, ArchiveWhoseSha256DiffersIsRefused) {
  TempDir dir;
  const auto archive = make_release_archive(dir);
  ActionRunner runner;
  const CliResult wrong = runner.run(kUnpack, {{"INPUT_RELEASE_URL", ""},
                                               {"INPUT_RELEASE_ARCHIVE", archive.string()},
                                               {"INPUT_RELEASE_SHA256", std::string(64, '0')}});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.out.find("does not match release-sha256"), std::string::npos) << wrong.out;
  EXPECT_EQ(runner.env_file().count("SENTRYSCAN_ACTION_BINARY"), 0u);
  EXPECT_FALSE(std::filesystem::exists(runner.runner_temp() / "sentryscan-release"));

  // The same file unpacks with its own hash, and with none given.
  EXPECT_EQ(runner.run(kUnpack, {{"INPUT_RELEASE_URL", ""},
                                 {"INPUT_RELEASE_ARCHIVE", archive.string()},
                                 {"INPUT_RELEASE_SHA256", sha256_of(archive)}}).exit_code, 0);
  EXPECT_EQ(runner.run(kUnpack, {{"INPUT_RELEASE_URL", ""},
                                 {"INPUT_RELEASE_ARCHIVE", archive.string()},
                                 {"INPUT_RELEASE_SHA256", ""}}).exit_code, 0);
  EXPECT_EQ(runner.env_file().count("SENTRYSCAN_ACTION_BINARY"), 1u);
}

TEST(ActionReleaseCli, ArchiveWithoutTheBinaryAndFailedDownloadsFailTheStep) {
  TempDir dir;
  dir.write("tree/other-1.0/README", "not sentryscan\n");
  const auto archive = dir.path() / "other.tar.gz";
  ASSERT_EQ(run_program({"tar", "-czf", archive.string(), "-C", (dir.path() / "tree").string(), "other-1.0"}).exit_code, 0);
  ActionRunner runner;
  const CliResult unpacked = runner.run(kUnpack, {{"INPUT_RELEASE_URL", ""},
                                                  {"INPUT_RELEASE_ARCHIVE", archive.string()},
                                                  {"INPUT_RELEASE_SHA256", ""}});
  EXPECT_NE(unpacked.exit_code, 0);
  EXPECT_NE(unpacked.out.find("has no sentryscan-<version>-x86_64-linux/bin/sentryscan"), std::string::npos)
      << unpacked.out;

  FakeSentry missing(answer(404, "no such release", "text/plain"));
  const CliResult download = runner.run(kUnpack, {{"INPUT_RELEASE_URL", missing.url() + "/x.tar.gz"},
                                                  {"INPUT_RELEASE_ARCHIVE", ""},
                                                  {"INPUT_RELEASE_SHA256", ""}});
  EXPECT_NE(download.exit_code, 0);
  EXPECT_EQ(runner.env_file().count("SENTRYSCAN_ACTION_BINARY"), 0u);
}

}  // namespace
}  // namespace sentryscan::testing
