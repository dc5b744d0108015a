// The Debian package made by `cpack -G DEB` (cmake/package.cmake), unpacked
// with dpkg-deb into a temporary directory (the machine's /usr is never
// touched) and run from there.
#include <gtest/gtest.h>

#include "packaging/package_support.h"

namespace sentryscan::testing {
namespace {

std::filesystem::path deb() { return only_file_in(SENTRYSCAN_DEB_DIR, ".deb"); }

TEST(DebianPackage, DeclaresTheLibrariesItOpensWithDlopen) {
  const CliResult depends = run_program({"dpkg-deb", "-f", deb().string(), "Depends"});
  ASSERT_EQ(depends.exit_code, 0) << depends.err;
  // By hand (dpkg-shlibdeps cannot see dlopen) ...
  EXPECT_NE(depends.out.find("libcurl4 (>= 7.88.1)"), std::string::npos) << depends.out;
  EXPECT_NE(depends.out.find("libarchive13 (>= 3.6.2)"), std::string::npos) << depends.out;
  EXPECT_NE(depends.out.find("libssh2-1 (>= 1.10.0)"), std::string::npos) << depends.out;
  EXPECT_NE(depends.out.find("libgssapi-krb5-2 (>= 1.20.1)"), std::string::npos) << depends.out;
  // ... and from dpkg-shlibdeps, for what the binary links: libgit2 is
  // linked statically (CMakeLists.txt), so its own libraries are named;
  // Hyperscan, RE2 and libstdc++ are linked statically too, and fmt and
  // toml++ built from their headers, so they are not.
  for (const char* linked : {"libc6", "libmbedtls14", "libhttp-parser2.9", "libdeflate0"})
    EXPECT_NE(depends.out.find(linked), std::string::npos) << linked << " in " << depends.out;
  for (const char* in_the_binary : {"libhyperscan5", "libre2-9", "libssl3", "libfmt9", "libtomlplusplus3", "libstdc++6"})
    EXPECT_EQ(depends.out.find(in_the_binary), std::string::npos) << in_the_binary << " in " << depends.out;
  const CliResult name = run_program({"dpkg-deb", "-f", deb().string(), "Package", "Version", "Architecture"});
  EXPECT_NE(name.out.find("Package: sentryscan"), std::string::npos) << name.out;
  EXPECT_NE(name.out.find("Architecture: amd64"), std::string::npos) << name.out;
}

TEST(DebianPackage, UnpacksWithEverythingInstalledAndRuns) {
  TempDir root;
  const CliResult unpack = run_program({"dpkg-deb", "-x", deb().string(), root.path().string()});
  ASSERT_EQ(unpack.exit_code, 0) << unpack.err;
  const auto usr = root.path() / "usr";
  for (const char* file : {"bin/sentryscan", "share/bash-completion/completions/sentryscan",
                           "share/zsh/vendor-completions/_sentryscan", "share/fish/vendor_completions.d/sentryscan.fish",
                           "share/sentryscan/hooks/pre-commit", "share/doc/sentryscan/README.md"})
    EXPECT_TRUE(std::filesystem::exists(usr / file)) << file;
  EXPECT_TRUE(std::filesystem::exists(usr / "share/man/man1/sentryscan.1") ||
              std::filesystem::exists(usr / "share/man/man1/sentryscan.1.gz"));
  const auto perms = std::filesystem::status(usr / "share/sentryscan/hooks/pre-commit").permissions();
  EXPECT_NE(perms & std::filesystem::perms::owner_exec, std::filesystem::perms::none);

  const auto binary = usr / "bin/sentryscan";
  const CliResult version = run_program({binary.string(), "--version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, "sentryscan " SENTRYSCAN_VERSION "\n");
  expect_scan_finds_secrets(binary);
}

}  // namespace
}  // namespace sentryscan::testing
