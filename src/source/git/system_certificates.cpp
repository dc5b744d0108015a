#include "source/git/system_certificates.h"

#include <git2.h>

#include <mutex>

// mbedTLS's type, opaque here: the wrapper only passes it on.
struct mbedtls_x509_crt;

extern "C" int __real_mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path);
extern "C" int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path);

namespace sentryscan::git {
namespace {

// The wrapper's state is process-wide because libgit2's TLS configuration
// is: one chain for the process, set up by git_libgit2_init.
struct Wrapper {
  std::mutex mutex;
  unsigned deferring = 0;  // DeferCertificateParsing objects alive
  bool pending = false;    // a parse was deferred and not done since
  CertificateState state;
};

Wrapper& wrapper() {
  static Wrapper instance;
  return instance;
}

}  // namespace

CertificateState certificate_state() {
  std::lock_guard lock(wrapper().mutex);
  return wrapper().state;
}

DeferCertificateParsing::DeferCertificateParsing() {
  std::lock_guard lock(wrapper().mutex);
  ++wrapper().deferring;
}

DeferCertificateParsing::~DeferCertificateParsing() {
  std::lock_guard lock(wrapper().mutex);
  --wrapper().deferring;
}

bool load_system_certificates() {
  std::string path;
  {
    std::lock_guard lock(wrapper().mutex);
    if (!wrapper().pending) return true;
    path = wrapper().state.deferred_path;
  }
  // The same call libgit2's start-up made (git_mbedtls__set_cert_location
  // with the file), now passed through: the wrapper clears `pending`.
  return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, path.c_str(), nullptr) == 0;
}

}  // namespace sentryscan::git

extern "C" int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path) {
  auto& w = sentryscan::git::wrapper();
  {
    std::lock_guard lock(w.mutex);
    if (w.deferring > 0) {
      w.state.deferred_path = path ? path : "";
      w.state.deferred = true;
      w.pending = true;
      return 0;  // the chain stays empty (mbedtls_x509_crt_init'ed by the caller)
    }
    w.pending = false;
    ++w.state.parses;
  }
  return __real_mbedtls_x509_crt_parse_file(chain, path);
}
