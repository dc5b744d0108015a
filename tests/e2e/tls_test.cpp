// TLS verification stays on; --ca-cert trusts a self-hosted CA.
#include <gtest/gtest.h>

#include "support/fake_tokens.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"
#include "validate/checker.h"
#include "support/fake_sentry.h"

namespace sentryscan::testing {
namespace {

struct SelfSignedCertificate {
  TempDir dir;
  std::filesystem::path cert = dir.path() / "cert.pem";
  std::filesystem::path key = dir.path() / "key.pem";

  SelfSignedCertificate() {
    const auto result = run_program({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                     "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.string(), "-out",
                                     cert.string(), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                                     "subjectAltName=IP:127.0.0.1"});
    if (result.exit_code != 0) throw std::runtime_error("openssl could not make a test certificate: " + result.err);
  }
};

Validation check(const std::string& saas, const std::string& ca_cert = {}) {
  auto settings = local_settings(saas);
  settings.ca_cert = ca_cert;
  std::vector<ScanIssue> issues;
  return validate::check_credentials({{"sentry-user-token", fake_user_token("tls"), {}}}, settings, issues).front();
}

TEST(ValidateTls, UntrustedCertificateIsUnknownAndCaCertTrustsIt) {
  SelfSignedCertificate certificate;
  FakeSentry sentry(answer_live(), {},
                    std::make_unique<httplib::SSLServer>(certificate.cert.c_str(), certificate.key.c_str()));
  ASSERT_EQ(sentry.url().rfind("https://", 0), 0u);

  const auto untrusted = check(sentry.url());
  EXPECT_EQ(untrusted.status, ValidationStatus::unknown);
  EXPECT_NE(untrusted.detail.find("TLS"), std::string::npos) << untrusted.detail;
  EXPECT_EQ(sentry.count(), 0u);  // the handshake failed before any request, so no token went out

  const auto trusted = check(sentry.url(), certificate.cert.string());
  EXPECT_EQ(trusted.status, ValidationStatus::live) << trusted.detail;
  EXPECT_EQ(sentry.count(), 1u);
}

TEST(ValidateTls, HttpsToAPlainHttpServerIsUnknown) {
  FakeSentry plain;
  const auto v = check("https://127.0.0.1:" + std::to_string(plain.port()));
  EXPECT_EQ(v.status, ValidationStatus::unknown);
  EXPECT_EQ(plain.count(), 0u);
}

}  // namespace
}  // namespace sentryscan::testing
