// In-process servers on 127.0.0.1 (ephemeral ports) that play the Sentry API
// or misbehave at the socket level, and record everything they receive.
// Header-only: tests/CMakeLists.txt compiles only *_test.cpp outside support/.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/finding.h"
#include "settings/validation.h"

namespace sentryscan {
// Readable gtest failures: "live" rather than a byte dump.
inline void PrintTo(ValidationStatus status, std::ostream* os) { *os << to_string(status); }
}  // namespace sentryscan

namespace sentryscan::testing {

struct RecordedRequest {
  std::string method;
  std::string path;
  httplib::Headers headers;
  std::chrono::steady_clock::time_point at;

  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has_header(const std::string& name) const { return headers.find(name) != headers.end(); }
};

using SentryHandler = std::function<void(const httplib::Request&, httplib::Response&)>;

inline SentryHandler answer(int status, std::string body, std::string content_type = "application/json") {
  return [=](const httplib::Request&, httplib::Response& res) {
    res.status = status;
    res.set_content(body, content_type.c_str());
  };
}
inline SentryHandler answer_live() { return answer(200, R"({"user":null,"scopes":["org:ci"]})"); }
inline SentryHandler answer_revoked() { return answer(401, R"({"detail":"Invalid token"})"); }

// Plays the Sentry API through `handler`; counts requests in flight.
class FakeSentry {
 public:
  // `tls_server`: an httplib::SSLServer to play Sentry over https instead.
  explicit FakeSentry(SentryHandler handler = answer_live(), std::chrono::milliseconds delay = {},
                      std::unique_ptr<httplib::Server> tls_server = nullptr)
      : handler_(std::move(handler)),
        delay_(delay),
        tls_(tls_server != nullptr),
        server_(tls_server ? std::move(tls_server) : std::make_unique<httplib::Server>()) {
    server_->new_task_queue = [] { return new httplib::ThreadPool(16); };
    server_->set_keep_alive_timeout(1);
    server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      const int now_in_flight = ++in_flight_;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back({req.method, req.path, req.headers, std::chrono::steady_clock::now()});
        max_in_flight_ = std::max(max_in_flight_, now_in_flight);
      }
      if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
      handler_(req, res);
      --in_flight_;
      return httplib::Server::HandlerResponse::Handled;
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind a local test server");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() before listen starts would be lost and join() would hang.
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeSentry() {
    server_->stop();
    thread_.join();
  }
  FakeSentry(const FakeSentry&) = delete;
  FakeSentry& operator=(const FakeSentry&) = delete;

  std::string url() const { return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_); }
  int port() const { return port_; }
  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }
  int max_in_flight() const {
    std::lock_guard lock(mutex_);
    return max_in_flight_;
  }

 private:
  SentryHandler handler_;
  std::chrono::milliseconds delay_;
  bool tls_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::atomic<int> in_flight_{0};
  int max_in_flight_ = 0;
};

// A TCP listener that misbehaves below HTTP.
class RawServer {
 public:
  enum class Mode {
    never_answer,  // listens but never accepts: the request sits in the backlog forever
    reset,         // accepts, reads the request, then resets the connection
    garbage,       // accepts, reads the request, answers bytes that are not HTTP
  };

  explicit RawServer(Mode mode) : mode_(mode) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd_, 64) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("cannot open a raw test listener");
    port_ = ntohs(address.sin_port);
    if (mode_ != Mode::never_answer) thread_ = std::thread([this] { serve(); });
  }
  ~RawServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return accepted_; }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      ++accepted_;
      read_request(client);
      if (mode_ == Mode::reset) {
        linger hard{1, 0};  // close with RST instead of FIN
        ::setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      } else {
        static constexpr char kGarbage[] = "\x16\x03\x01 this is not HTTP at all \x01\x02\r\n\r\n";
        [[maybe_unused]] auto n = ::send(client, kGarbage, sizeof kGarbage - 1, MSG_NOSIGNAL);
      }
      ::close(client);
    }
  }
  static void read_request(int client) {
    std::string seen;
    char buffer[4096];
    while (seen.find("\r\n\r\n") == std::string::npos) {
      pollfd p{client, POLLIN, 0};
      if (::poll(&p, 1, 1000) <= 0) return;
      const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      seen.append(buffer, static_cast<std::size_t>(n));
    }
  }

  Mode mode_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
};

// Settings for talking to local servers: SaaS base replaced, plain http
// allowed, short timeouts so failure cases stay fast.
inline validate::ValidationSettings local_settings(const std::string& saas_url,
                                                   std::vector<std::string> allowed = {},
                                                   double timeout_seconds = 1.0) {
  validate::ValidationOptions options;
  options.enabled = true;
  options.allow_insecure_http = true;
  options.saas_url = saas_url;
  options.sentry_urls = std::move(allowed);
  options.timeout_seconds = timeout_seconds;
  return validate::resolve_settings(options, {});
}

}  // namespace sentryscan::testing
