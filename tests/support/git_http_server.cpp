#include "support/git_http_server.h"

#include <chrono>
#include <stdexcept>

#include "core/base64.h"
#include "support/run_cli.h"

namespace sentryscan::testing {

GitHttpServer::GitHttpServer(const std::string& host, std::unique_ptr<httplib::Server> tls_server)
    : host_(host),
      tls_(tls_server != nullptr), server_(tls_server ? std::move(tls_server) : std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(8); };
  server_->set_keep_alive_timeout(1);
  // Routes, not a pre-routing handler: cpp-httplib reads a POST body only for a routed request.
  server_->Get(".*", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
  server_->Post(".*", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
  port_ = server_->bind_to_any_port(host_);
  if (port_ <= 0) throw std::runtime_error("cannot bind a local git server");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

GitHttpServer::~GitHttpServer() {
  server_->stop();
  thread_.join();
}

std::string GitHttpServer::url() const {
  return (tls_ ? "https://" : "http://") + host_ + ":" + std::to_string(port_);
}

std::string GitHttpServer::publish(GitRepo& work, const std::string& name) {
  const std::filesystem::path bare = root() / (name + ".git");
  if (!std::filesystem::exists(bare)) {
    std::filesystem::create_directories(bare);
    GitRepo(bare).git({"init", "-q", "--bare", "-b", "main"});
  }
  work.git({"push", "-q", "--force", "--prune", bare.string(), "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"});
  return url() + "/" + name + ".git";
}

void GitHttpServer::require_basic_auth(const std::string& user, const std::string& password) {
  std::lock_guard lock(mutex_);
  expected_authorization_ = "Basic " + base64_encode(user + ":" + password);
}

void GitHttpServer::require_negotiate() {
  std::lock_guard lock(mutex_);
  expected_authorization_ = "Negotiate (never sent: the client has no Kerberos ticket)";
  challenge_ = "Negotiate";
}

void GitHttpServer::redirect_to(const std::string& base) {
  std::lock_guard lock(mutex_);
  redirect_base_ = base;
}

std::vector<RecordedRequest> GitHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void GitHttpServer::handle(const httplib::Request& req, httplib::Response& res) {
  std::optional<std::string> authorization, redirect;
  std::string challenge;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back({req.method, req.path, req.headers, std::chrono::steady_clock::now()});
    authorization = expected_authorization_;
    redirect = redirect_base_;
    challenge = challenge_;
  }
  std::string query;
  for (const auto& [key, value] : req.params) query += (query.empty() ? "" : "&") + key + "=" + value;
  if (authorization && req.get_header_value("Authorization") != *authorization) {
    res.status = 401;
    res.set_header("WWW-Authenticate", challenge);
    return;
  }
  if (redirect) {
    res.status = 302;
    res.set_header("Location", *redirect + req.path + (query.empty() ? "" : "?" + query));
    return;
  }
  // The CGI environment git http-backend reads (git-http-backend(1)).
  CliOptions cgi;
  cgi.env = git_test_env();
  cgi.env["GIT_PROJECT_ROOT"] = root().string();
  cgi.env["GIT_HTTP_EXPORT_ALL"] = "1";
  cgi.env["REQUEST_METHOD"] = req.method;
  cgi.env["PATH_INFO"] = req.path;
  cgi.env["QUERY_STRING"] = query;
  cgi.env["CONTENT_TYPE"] = req.get_header_value("Content-Type");
  cgi.env["CONTENT_LENGTH"] = std::to_string(req.body.size());
  cgi.env["GIT_PROTOCOL"] = req.get_header_value("Git-Protocol");
  // cpp-httplib has already inflated a gzip request body (git sends one for long negotiations).
  cgi.env["REMOTE_ADDR"] = "127.0.0.1";
  cgi.stdin_text = req.body;
  const CliResult out = run_program({"/usr/lib/git-core/git-http-backend"}, cgi);

  // CGI output: header lines, a blank line, the body.
  std::size_t end = out.out.find("\r\n\r\n");
  std::size_t body_at = end == std::string::npos ? std::string::npos : end + 4;
  if (end == std::string::npos) {
    end = out.out.find("\n\n");
    body_at = end == std::string::npos ? std::string::npos : end + 2;
  }
  if (end == std::string::npos) {
    res.status = 500;
    res.set_content("git http-backend failed: " + out.err, "text/plain");
    return;
  }
  res.status = 200;
  std::string content_type = "application/octet-stream";
  std::size_t line_start = 0;
  while (line_start < end) {
    std::size_t line_end = out.out.find('\n', line_start);
    if (line_end == std::string::npos || line_end > end) line_end = end;
    std::string line = out.out.substr(line_start, line_end - line_start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    line_start = line_end + 1;
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (name == "Status") {
      res.status = std::stoi(value);
    } else if (name == "Content-Type") {
      content_type = value;
    } else if (name != "Content-Length") {
      res.set_header(name, value);
    }
  }
  res.set_content(out.out.substr(body_at), content_type);
}

}  // namespace sentryscan::testing
