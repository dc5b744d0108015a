#include "support/ssh_git_server.h"

#include "support/exec_image.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <thread>

#include "support/run_cli.h"

namespace sentryscan::testing {
namespace {

// A port free right now on 127.0.0.1 (sshd cannot be told to pick one).
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  close(fd);
  return port;
}

bool accepts_connections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

bool wait_for(const std::function<bool()>& ready) {
  for (int i = 0; i < 500; ++i) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& args,
                                     const std::map<std::string, std::string>& env, const std::filesystem::path& log) {
  const ExecImage image(args, env);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    const int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    exec_image(image);
  }
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

bool BackgroundProcess::running() const {
  int status = 0;
  return pid_ > 0 && waitpid(pid_, &status, WNOHANG) == 0;
}

std::unique_ptr<SshGitServer> SshGitServer::start(std::string& why) {
  const char* sshd = "/usr/sbin/sshd";
  if (access(sshd, X_OK) != 0) {
    why = "openssh-server is not installed (/usr/sbin/sshd)";
    return nullptr;
  }
  if (geteuid() == 0 && mkdir("/run/sshd", 0755) != 0 && errno != EEXIST) {
    why = "sshd needs /run/sshd, which cannot be created here";
    return nullptr;
  }
  const passwd* me = getpwuid(geteuid());
  if (!me) {
    why = "the current user has no passwd entry, so sshd cannot log it in";
    return nullptr;
  }
  std::unique_ptr<SshGitServer> server(new SshGitServer());
  server->user_ = me->pw_name;
  const std::filesystem::path dir = server->dir_.path();
  auto keygen = [&](const std::string& name) {
    const CliResult made =
        run_program({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sentryscan-test", "-f", (dir / name).string()});
    if (made.exit_code != 0) throw std::runtime_error("ssh-keygen failed: " + made.err);
  };
  keygen("host_key");
  keygen("user_key");
  std::filesystem::copy_file(dir / "user_key.pub", dir / "authorized_keys");
  server->port_ = free_port();
  const std::string host_pub = read_file(dir / "host_key.pub");
  server->dir_.write("home/.ssh/known_hosts", "[127.0.0.1]:" + std::to_string(server->port_) + " " +
                                                  host_pub.substr(0, host_pub.rfind(' ')) + "\n");
  server->dir_.write("sshd_config", "Port " + std::to_string(server->port_) +
                                        "\nListenAddress 127.0.0.1\n"
                                        "HostKey " + (dir / "host_key").string() +
                                        "\nAuthorizedKeysFile " + (dir / "authorized_keys").string() +
                                        "\nPidFile none\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
                                        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n"
                                        "AllowAgentForwarding no\nAllowTcpForwarding no\nX11Forwarding no\n");
  server->sshd_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{sshd, "-D", "-e", "-f", (dir / "sshd_config").string()},
      std::map<std::string, std::string>{}, dir / "sshd.log");
  if (!wait_for([&] { return accepts_connections(server->port_); })) {
    why = "sshd did not start: " + server->log();
    return nullptr;
  }
  server->agent_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{"ssh-agent", "-D", "-a", server->agent_socket().string()},
      std::map<std::string, std::string>{}, dir / "agent.log");
  if (!wait_for([&] { return std::filesystem::exists(server->agent_socket()); })) {
    why = "ssh-agent did not start";
    return nullptr;
  }
  CliOptions add;
  add.env = {{"SSH_AUTH_SOCK", server->agent_socket().string()}};
  const CliResult added = run_program({"ssh-add", "-q", (dir / "user_key").string()}, add);
  if (added.exit_code != 0) throw std::runtime_error("ssh-add failed: " + added.err);
  return server;
}

SshGitServer::~SshGitServer() = default;

std::map<std::string, std::string> SshGitServer::env() const {
  return {{"HOME", home().string()}, {"SSH_AUTH_SOCK", agent_socket().string()}};
}

std::string SshGitServer::url_of(const std::filesystem::path& bare_repo) const {
  return "ssh://" + user_ + "@127.0.0.1:" + std::to_string(port_) + bare_repo.string();
}

std::string SshGitServer::log() const {
  std::error_code ec;
  return std::filesystem::exists(dir_.path() / "sshd.log", ec) ? read_file(dir_.path() / "sshd.log") : "";
}

}  // namespace sentryscan::testing
