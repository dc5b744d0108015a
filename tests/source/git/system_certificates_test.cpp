// The CA bundle that libgit2's start-up parses is deferred until HTTPS is
// needed (src/source/git/system_certificates.h). CTest runs each test in its
// own process; run together, the wrapper's count goes on from the test
// before, so each test counts from what it finds.
#include "source/git/system_certificates.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "source/git/handle.h"

namespace sentryscan::git {
namespace {

// Debian's libgit2 is built with this bundle as its default location.
constexpr const char* kBundle = "/etc/ssl/certs/ca-certificates.crt";

TEST(SystemCertificates, SessionDefersTheBundleAndLoadingParsesItOnce) {
  if (!std::filesystem::is_regular_file(kBundle)) GTEST_SKIP() << kBundle << " is missing: libgit2 asks for no bundle";
  const unsigned before = certificate_state().parses;
  Session session;
  const CertificateState started = certificate_state();
  EXPECT_TRUE(started.deferred);
  EXPECT_EQ(started.deferred_path, kBundle);
  EXPECT_EQ(started.parses, before);

  EXPECT_TRUE(load_system_certificates());
  EXPECT_EQ(certificate_state().parses, before + 1);
  // Loaded already: not parsed again.
  EXPECT_TRUE(load_system_certificates());
  EXPECT_EQ(certificate_state().parses, before + 1);
}

TEST(SystemCertificates, ChosenCertificatesAreNotReplacedByTheSystemBundle) {
  if (!std::filesystem::is_regular_file(kBundle)) GTEST_SKIP() << kBundle << " is missing: libgit2 asks for no bundle";
  const unsigned before = certificate_state().parses;
  Session session;
  // What --ca-cert does (source/remote/materialize.cpp): passed straight through.
  ASSERT_EQ(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, kBundle, nullptr), 0);
  EXPECT_EQ(certificate_state().parses, before + 1);
  EXPECT_TRUE(load_system_certificates());
  EXPECT_EQ(certificate_state().parses, before + 1);
}

TEST(SystemCertificates, OnlyTheStartUpIsDeferred) {
  if (!std::filesystem::is_regular_file(kBundle)) GTEST_SKIP() << kBundle << " is missing: libgit2 asks for no bundle";
  const unsigned before = certificate_state().parses;
  Session session;
  {
    // A second session does not start libgit2 again: nothing is asked.
    Session nested;
  }
  EXPECT_EQ(certificate_state().parses, before);
  // An unreadable file fails in mbedTLS, not in the wrapper.
  EXPECT_LT(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, "/nonexistent/ca.pem", nullptr), 0);
  EXPECT_EQ(certificate_state().parses, before + 1);
}

}  // namespace
}  // namespace sentryscan::git
