// What every run pays before it scans anything: the shared libraries the
// executable needs at start-up. libcurl and libarchive (with ~30 libraries
// of their own) are opened only when --validate or an archive needs them.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "support/git_http_server.h"
#include "support/git_repo.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

TEST(StartUp, LibcurlAndLibarchiveAreNotLoadedUntilNeeded) {
  const CliResult ldd = run_program({"ldd", SENTRYSCAN_BINARY});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  EXPECT_NE(ldd.out.find("libmbedtls"), std::string::npos) << ldd.out;  // the listing is real
  EXPECT_EQ(ldd.out.find("libcurl"), std::string::npos) << ldd.out;
  EXPECT_EQ(ldd.out.find("libarchive"), std::string::npos) << ldd.out;
}

// libgit2 is linked statically, with its parse of the system CA bundle at
// start-up wrapped (src/source/git/system_certificates.h): a shared libgit2
// would call mbedTLS directly and the wrapper would never run.
TEST(StartUp, LibgitIsLinkedStaticallySoItsCaBundleParseIsDeferred) {
  const CliResult ldd = run_program({"ldd", SENTRYSCAN_BINARY});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  EXPECT_EQ(ldd.out.find("libgit2"), std::string::npos) << ldd.out;
  const CliResult symbols = run_program({"nm", "-D", "--undefined-only", SENTRYSCAN_BINARY});
  ASSERT_EQ(symbols.exit_code, 0) << symbols.err;
  // libgit2's call goes to the wrapper, which calls mbedTLS's own.
  EXPECT_NE(symbols.out.find("mbedtls_x509_crt_parse_file"), std::string::npos) << symbols.out;
}

// libgit2's ssh transport (libssh2, with OpenSSL's libcrypto under it) and
// its Negotiate authentication over HTTP (GSSAPI, five Kerberos libraries)
// are opened on first use (src/source/git/transports/libssh2.cpp).
TEST(StartUp, SshAndKerberosLibrariesAreNotLinked) {
  const CliResult ldd = run_program({"ldd", SENTRYSCAN_BINARY});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  EXPECT_NE(ldd.out.find("libmbedtls"), std::string::npos) << ldd.out;  // the listing is real
  for (const char* library : {"libssh2", "libcrypto", "libgssapi_krb5", "libkrb5", "libk5crypto"})
    EXPECT_EQ(ldd.out.find(library), std::string::npos) << library << " in " << ldd.out;
}

// What the dynamic loader opens, from its own trace on stderr (LD_DEBUG).
CliResult traced_run(const std::vector<std::string>& args, const std::filesystem::path& cwd = {}) {
  CliOptions options;
  options.cwd = cwd;
  options.env = git_test_env();
  options.env["LD_DEBUG"] = "files";
  // Kerberos and libgit2's ssh error paths keep memory to the end (in the
  // libraries, no frame of ours): the sanitizer build's leak check is off
  // for these runs only.
  options.env["LSAN_OPTIONS"] = "detect_leaks=0";
  return run_sentryscan(args, options);
}

// Hyperscan, RE2 and libstdc++ are linked statically, fmt and toml++ built
// from their headers: C++ shared libraries cost every run their symbol
// lookups (CMakeLists.txt). The sanitizer builds keep a shared libstdc++.
TEST(StartUp, NoCxxSharedLibraries) {
  const CliResult ldd = run_program({"ldd", SENTRYSCAN_BINARY});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  EXPECT_NE(ldd.out.find("libmbedtls"), std::string::npos) << ldd.out;  // the listing is real
  for (const char* library : {"libhs", "libre2", "libfmt", "libtomlplusplus"})
    EXPECT_EQ(ldd.out.find(library), std::string::npos) << library << " in " << ldd.out;
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_EQ(ldd.out.find("libstdc++"), std::string::npos) << ldd.out;
#endif
}

bool opened(const CliResult& run, const std::string& soname) {
  return run.err.find("file=" + soname) != std::string::npos;
}

TEST(StartUp, StagedOpensNeitherSshNorKerberos) {
  GitRepo repo;
  repo.commit_file("README.md", "hello\n", "one");
  repo.write("notes.txt", "nothing secret\n");
  repo.git({"add", "notes.txt"});
  const CliResult run = traced_run({"staged"}, repo.path());
  EXPECT_EQ(run.exit_code, 0) << run.err.substr(0, 4000);
  EXPECT_TRUE(opened(run, "libmbedtls.so.14")) << "no loader trace: " << run.err.substr(0, 4000);
  for (const char* soname : {"libssh2.so.1", "libgssapi_krb5.so.2", "libcrypto.so.3"})
    EXPECT_FALSE(opened(run, soname)) << soname;
}

// A TCP server on 127.0.0.1 that answers every connection with a line that
// is not an ssh banner and hangs up.
class NotSshServer {
 public:
  NotSshServer() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || listen(fd_, 4) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int client = accept(fd_, nullptr, nullptr);
        if (client < 0) return;  // shutdown()
        const std::string reply = "HTTP/1.0 400 this is not ssh\r\n\r\n";
        (void)!write(client, reply.data(), reply.size());
        close(client);
      }
    });
  }
  ~NotSshServer() {
    shutdown(fd_, SHUT_RDWR);
    thread_.join();
    close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// ssh:// opens libssh2 (and its libcrypto), which starts a session before
// the handshake fails: an incomplete scan, not a crash.
TEST(StartUp, SshUrlOpensLibssh2WhenItConnects) {
  NotSshServer server;
  TempDir home;
  const CliResult run =
      traced_run({"git", "ssh://git@127.0.0.1:" + std::to_string(server.port()) + "/org/repo.git"}, home.path());
  EXPECT_EQ(run.exit_code, 3) << run.err.substr(0, 4000);
  EXPECT_TRUE(opened(run, "libssh2.so.1")) << run.err.substr(0, 4000);
  EXPECT_FALSE(opened(run, "libgssapi_krb5.so.2"));
}

// A server that asks for Negotiate (SPNEGO/Kerberos) gets no answer:
// sentryscan never offers libgit2 the "default" (Kerberos) credentials, so
// GSSAPI is not even opened, and the clone fails as any other that needs
// credentials it was not given.
TEST(StartUp, NegotiateChallengeIsRefusedWithoutOpeningGssapi) {
  GitHttpServer server;
  server.require_negotiate();
  TempDir cwd;
  const CliResult run = traced_run({"git", server.url() + "/org/repo.git"}, cwd.path());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("the server asks for credentials and none were given"), std::string::npos);
  EXPECT_TRUE(opened(run, "libmbedtls.so.14")) << "no loader trace";
  EXPECT_FALSE(opened(run, "libgssapi_krb5.so.2"));
  EXPECT_FALSE(opened(run, "libssh2.so.1"));
  EXPECT_FALSE(server.requests().empty());
}

}  // namespace
}  // namespace sentryscan::testing
