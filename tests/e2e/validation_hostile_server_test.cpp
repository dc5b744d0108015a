// SPEC 3 and 8 / issue 6: a validation server that answers with a 2 GB body,
// a huge header or one byte at a time. The client must stop reading early,
// call the credential unknown, finish quickly and keep its memory small. The
// bodies are streamed by the server, never allocated.
#include <gtest/gtest.h>

#include <httplib.h>

#include <atomic>
#include <string>
#include <thread>

#include "support/scan_text.h"
#include "support/measured_run.h"
#include "support/fake_tokens.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {
namespace {

constexpr std::uint64_t kTwoGigabytes = 2ull << 30;

// A local server on 127.0.0.1 whose one handler answers every request.
class HostileServer {
 public:
  explicit HostileServer(httplib::Server::Handler handler) {
    server_.Get(".*", std::move(handler));
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind a local test server");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~HostileServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

struct Streamed {
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<bool> stopped{false};  // the client went away before the end
};

// Writes `total` bytes of a JSON-looking body in 64 KiB pieces, counting them.
bool stream_piece(Streamed& streamed, std::uint64_t total, httplib::DataSink& sink) {
  static const std::string piece = "{\"pad\":\"" + std::string(64 * 1024 - 8, 'x');
  const std::uint64_t done = streamed.bytes.load();
  if (done >= total) {
    sink.done();
    return true;
  }
  if (!sink.write(piece.data(), piece.size())) {
    streamed.stopped = true;
    return false;
  }
  streamed.bytes += piece.size();
  return true;
}

MeasuredRun validate_against(const std::string& url, const std::string& secret, double timeout_seconds) {
  TempDir scratch;
  MeasuredOptions options;
  options.env["SENTRYSCAN_SAAS_URL"] = url;
  options.stdin_text = secret + "\n";
  return run_measured({SENTRYSCAN_BINARY, "validate", "--allow-insecure-http", "--validate-timeout",
                       std::to_string(timeout_seconds), "--format", "json"},
                      scratch.path(), 60, options);
}

void expect_unknown_quickly(const MeasuredRun& run, double seconds, const std::string& secret) {
  EXPECT_EQ(run.signal, 0);
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;  // none live, some unknown
  EXPECT_NE(run.out.find("unknown"), std::string::npos) << run.out;
  EXPECT_LT(seconds, kLimitSeconds);
  EXPECT_LT(run.max_rss_kib, memory_limit_kib());
  EXPECT_EQ(run.out.find(secret), std::string::npos);
  EXPECT_EQ(run.err.find(secret), std::string::npos);
}

TEST(ValidationHostileServer, TwoGigabyteChunkedBodyIsNotReadToTheEnd) {
  Streamed streamed;
  HostileServer server([&](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_chunked_content_provider("application/json", [&](std::size_t, httplib::DataSink& sink) {
      return stream_piece(streamed, kTwoGigabytes, sink);
    });
  });
  const std::string token = fake_user_token("two gigabytes chunked");
  const auto start = Clock::now();
  const auto run = validate_against(server.url(), token, 10);
  expect_unknown_quickly(run, seconds_since(start), token);
  EXPECT_NE(run.out.find("larger than"), std::string::npos) << run.out;
  // Kernel socket buffers hold a few MB at most; the client read ~64 KiB.
  EXPECT_LT(streamed.bytes.load(), 64ull << 20);
}

TEST(ValidationHostileServer, TwoGigabyteContentLengthIsNotReadToTheEnd) {
  Streamed streamed;
  HostileServer server([&](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content_provider(kTwoGigabytes, "application/json",
                             [&](std::size_t, std::size_t, httplib::DataSink& sink) {
                               return stream_piece(streamed, kTwoGigabytes, sink);
                             });
  });
  const std::string token = fake_user_token("two gigabytes sized");
  const auto start = Clock::now();
  const auto run = validate_against(server.url(), token, 10);
  expect_unknown_quickly(run, seconds_since(start), token);
  EXPECT_LT(streamed.bytes.load(), 64ull << 20);
}

TEST(ValidationHostileServer, HugeHeaderIsUnknown) {
  HostileServer server([](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_header("X-Padding", std::string(1 << 20, 'h'));
    res.set_content("{}", "application/json");
  });
  const std::string token = fake_user_token("huge header");
  const auto start = Clock::now();
  const auto run = validate_against(server.url(), token, 10);
  expect_unknown_quickly(run, seconds_since(start), token);
}

// One byte every 100 ms, for ever: the per-request timeout bounds the whole
// exchange, not only the wait for the first byte.
TEST(ValidationHostileServer, DribblingServerIsCutOffByTheTimeout) {
  std::atomic<bool> done{false};
  HostileServer server([&](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_chunked_content_provider("application/json", [&](std::size_t, httplib::DataSink& sink) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      return !done.load() && sink.write(" ", 1);
    });
  });
  const std::string token = fake_user_token("dribble");
  const auto start = Clock::now();
  const auto run = validate_against(server.url(), token, 2);
  const double seconds = seconds_since(start);
  done = true;
  expect_unknown_quickly(run, seconds, token);
  EXPECT_LT(seconds, 10.0);
}

}  // namespace
}  // namespace sentryscan::testing
