// libgit2's start-up parses the system's CA bundle; sentryscan defers that
// until a command actually opens an HTTPS connection.
//
//   git::Session session;                  // git_libgit2_init, bundle not parsed
//   ...local work: staged, a history audit...
//   git::load_system_certificates();       // before the first HTTPS fetch
//
// Why: git_libgit2_init (Debian's libgit2 1.5, built with mbedTLS) parses
// /etc/ssl/certs/ca-certificates.crt, about 140 certificates, whatever the
// command. mbedTLS's constant-time base64 decoder made that 23 % of a
// `sentryscan staged` run (7 of 31 ms), although only a remote clone uses
// TLS. libgit2 is linked statically (CMakeLists.txt) with
// `--wrap=mbedtls_x509_crt_parse_file`, so its call comes to
// __wrap_mbedtls_x509_crt_parse_file (system_certificates.cpp): while a
// Session is starting libgit2 the wrapper only records the path and leaves
// the chain empty; at any other time it parses. An empty chain fails closed:
// a TLS handshake then verifies against no authority and is refused.
#pragma once

#include <string>

namespace sentryscan::git {

// What the wrapper saw: the bundle libgit2 asked for at start-up (empty when
// it asked for none, e.g. the file is missing), whether that parse was
// deferred, and how many parses it passed through to mbedTLS.
struct CertificateState {
  std::string deferred_path;
  bool deferred = false;
  unsigned parses = 0;
};
CertificateState certificate_state();

// Parses the bundle libgit2's start-up deferred, as that start-up would
// have (GIT_OPT_SET_SSL_CERT_LOCATIONS with the same file). Nothing when
// nothing was deferred or it is loaded already. False when mbedTLS could not
// parse it: TLS then still fails closed.
bool load_system_certificates();

// RAII: parses of the bundle are deferred while one lives (Session's
// constructor around git_libgit2_init).
class DeferCertificateParsing {
 public:
  DeferCertificateParsing();
  ~DeferCertificateParsing();
  DeferCertificateParsing(const DeferCertificateParsing&) = delete;
  DeferCertificateParsing& operator=(const DeferCertificateParsing&) = delete;
};

}  // namespace sentryscan::git
