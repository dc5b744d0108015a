// A git smart-HTTP server on 127.0.0.1 (an ephemeral port): cpp-httplib in
// process running git's own `git http-backend` as a CGI program for every
// request, serving the bare repositories below one directory. It records
// every request (method, path, headers), can require basic auth, and can
// answer everything with a redirect elsewhere (to prove a client refuses to
// follow it). Nothing reaches the network.
//
//   GitHttpServer server;
//   GitRepo work;  work.commit_file("a.txt", "...", "add");
//   std::string url = server.publish(work, "org/repo");   // http://127.0.0.1:PORT/org/repo.git
//   server.require_basic_auth("user", "pass");            // 401 without them
//   other.redirect_to(server.url());                      // 302 to the same path on `server`
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/fake_sentry.h"
#include "support/git_repo.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {

class GitHttpServer {
 public:
  // `host`: another loopback address (127.0.0.2...) plays another host.
  // `tls_server`: an httplib::SSLServer, to serve https instead.
  explicit GitHttpServer(const std::string& host = "127.0.0.1", std::unique_ptr<httplib::Server> tls_server = nullptr);
  ~GitHttpServer();
  GitHttpServer(const GitHttpServer&) = delete;
  GitHttpServer& operator=(const GitHttpServer&) = delete;

  // http://HOST:PORT (https:// with a TLS server)
  std::string url() const;
  int port() const { return port_; }
  // Where the served bare repositories live (`name` of publish() is below it).
  const std::filesystem::path& root() const { return root_.path(); }

  // Pushes every branch and tag of `work` to the bare repository `name`.git
  // (created on first use; deleted refs deleted) and returns its URL.
  std::string publish(GitRepo& work, const std::string& name);

  void require_basic_auth(const std::string& user, const std::string& password);
  // Every request is answered "401" with `WWW-Authenticate: Negotiate`
  // (SPNEGO/Kerberos, which no test client can satisfy).
  void require_negotiate();
  // Every request (once authenticated, with require_basic_auth) is answered
  // "302 Found" to `base` + the same path and query.
  void redirect_to(const std::string& base);

  std::vector<RecordedRequest> requests() const;

 private:
  void handle(const httplib::Request& req, httplib::Response& res);

  TempDir root_;
  std::string host_;
  bool tls_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::optional<std::string> expected_authorization_;
  std::string challenge_ = "Basic realm=\"git\"";
  std::optional<std::string> redirect_base_;
};

}  // namespace sentryscan::testing
