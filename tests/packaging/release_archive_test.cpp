// The portable release archive (scripts/make-release-archive.sh), unpacked
// in a temporary directory and run with an empty LD_LIBRARY_PATH: it must
// load nothing but its own lib/ and the C runtime, the dlopen-ed libcurl
// (--validate) and libarchive (a zip) included.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "packaging/package_support.h"

namespace sentryscan::testing {
namespace {

const std::string kTop = "sentryscan-" SENTRYSCAN_VERSION "-x86_64-linux";

std::filesystem::path unpack(const TempDir& dir) {
  const auto archive = only_file_in(SENTRYSCAN_ARCHIVE_DIR, ".tar.gz");
  EXPECT_EQ(archive.filename().string(), kTop + ".tar.gz");
  const CliResult tar = run_program({"tar", "-xzf", archive.string(), "-C", dir.path().string()});
  EXPECT_EQ(tar.exit_code, 0) << tar.err;
  return dir.path() / kTop;
}

// glibc's own libraries: the one thing the archive takes from the host.
bool c_runtime(const std::string& path) {
  static const std::regex glibc(R"((^|/)(ld-linux-x86-64|libc|libm|libdl|libpthread|librt|libresolv|libutil|libanl|libnss_[a-z]+)\.so(\.[0-9]+)*$)");
  return std::regex_search(path, glibc);
}

TEST(ReleaseArchive, HasTheDocumentedLayout) {
  TempDir dir;
  const auto top = unpack(dir);
  for (const char* file : {"bin/sentryscan", "lib/libcurl.so.4", "lib/libarchive.so.13", "share/man/man1/sentryscan.1",
                           "share/bash-completion/completions/sentryscan", "share/zsh/vendor-completions/_sentryscan",
                           "share/fish/vendor_completions.d/sentryscan.fish", "hooks/pre-commit", "README.md"})
    EXPECT_TRUE(std::filesystem::exists(top / file)) << file;
  // Every library carries the $ORIGIN run path; the binary points at ../lib.
  const CliResult rpath = run_program({"patchelf", "--print-rpath", (top / "bin/sentryscan").string()});
  EXPECT_EQ(rpath.out, "$ORIGIN/../lib\n") << rpath.err;
  for (const auto& entry : std::filesystem::directory_iterator(top / "lib")) {
    const CliResult own = run_program({"patchelf", "--print-rpath", entry.path().string()});
    EXPECT_EQ(own.out, "$ORIGIN\n") << entry.path();
    EXPECT_FALSE(c_runtime(entry.path().string())) << entry.path() << " is the host's C runtime";
  }
}

// The newest glibc symbol version any file of the archive asks for.
TEST(ReleaseArchive, NeedsNoNewerGlibcThanDebian12) {
  TempDir dir;
  const auto top = unpack(dir);
  std::vector<std::string> args{"objdump", "-T", (top / "bin/sentryscan").string()};
  for (const auto& entry : std::filesystem::directory_iterator(top / "lib")) args.push_back(entry.path().string());
  const CliResult symbols = run_program(args);
  ASSERT_EQ(symbols.exit_code, 0) << symbols.err;
  const std::regex version(R"(GLIBC_2\.([0-9]+))");
  int newest = 0;
  for (std::sregex_iterator it(symbols.out.begin(), symbols.out.end(), version), end; it != end; ++it)
    newest = std::max(newest, std::stoi((*it)[1]));
  EXPECT_GT(newest, 0);
  EXPECT_LE(newest, 36) << "needs glibc 2." << newest << "; Debian 12 has 2.36";
}

TEST(ReleaseArchive, RunsFromAnywhereLoadingOnlyItsOwnLibraries) {
  TempDir dir;
  const auto top = unpack(dir);
  const auto binary = top / "bin/sentryscan";
  CliOptions no_library_path;
  no_library_path.env = {{"LD_LIBRARY_PATH", ""}};
  const CliResult version = run_program({binary.string(), "--version"}, no_library_path);
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, "sentryscan " SENTRYSCAN_VERSION "\n");

  // LD_DEBUG=files names every object the loader maps, dlopen-ed ones included.
  const std::string debug = expect_scan_finds_secrets(binary, {{"LD_LIBRARY_PATH", ""}, {"LD_DEBUG", "files"}});
  const std::regex loaded(R"(calling init: (\S+))");
  std::set<std::string> from_archive;
  for (std::sregex_iterator it(debug.begin(), debug.end(), loaded), end; it != end; ++it) {
    // The loader names them through the run path: ".../bin/../lib/libfmt.so.9".
    const std::string path = std::filesystem::path((*it)[1].str()).lexically_normal().string();
    if (path.starts_with((top / "lib").lexically_normal().string() + "/")) {
      from_archive.insert(std::filesystem::path(path).filename().string());
      continue;
    }
    EXPECT_TRUE(c_runtime(path)) << path << " was loaded from outside the archive";
  }
  EXPECT_TRUE(from_archive.contains("libcurl.so.4")) << debug.substr(0, 3000);
  EXPECT_TRUE(from_archive.contains("libarchive.so.13")) << debug.substr(0, 3000);
}

TEST(ReleaseArchive, ShipsTheGeneratedManPageAndCompletions) {
  TempDir dir;
  const auto top = unpack(dir);
  EXPECT_TRUE(read_file(top / "share/man/man1/sentryscan.1").starts_with(".TH SENTRYSCAN 1"));
  const std::string bash = read_file(top / "share/bash-completion/completions/sentryscan");
  EXPECT_NE(bash.find("complete -o filenames -F _sentryscan sentryscan"), std::string::npos);
}

}  // namespace
}  // namespace sentryscan::testing
