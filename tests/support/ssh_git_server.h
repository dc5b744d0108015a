// An sshd on 127.0.0.1 serving git over ssh, and an ssh-agent holding the
// one key it accepts, both started by the test in a temporary directory and
// stopped (by pid) when the object dies. A throwaway host key goes into a
// known_hosts file under home(): run the client with HOME=home() and
// SSH_AUTH_SOCK=agent_socket() (env()), and libgit2 checks the host key.
// sshd runs as the current user; as root it needs /run/sshd, its privilege
// separation directory, which is created when missing.
//
//   std::string why;
//   auto ssh = SshGitServer::start(why);
//   if (!ssh) GTEST_SKIP() << why;
//   std::string url = ssh->url_of(bare_repo_path);   // ssh://USER@127.0.0.1:PORT/abs/path
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace sentryscan::testing {

// A child process stopped with SIGTERM (then waited for) when the object dies.
class BackgroundProcess {
 public:
  // stdout and stderr go to `log`.
  BackgroundProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                    const std::filesystem::path& log);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  bool running() const;

 private:
  pid_t pid_ = -1;
};

class SshGitServer {
 public:
  // nullopt, with `why`, where sshd cannot run here (not installed, no
  // privilege separation directory and no way to make one).
  static std::unique_ptr<SshGitServer> start(std::string& why);
  ~SshGitServer();

  int port() const { return port_; }
  const std::string& user() const { return user_; }
  std::filesystem::path home() const { return dir_.path() / "home"; }
  std::filesystem::path agent_socket() const { return dir_.path() / "agent.sock"; }
  // HOME and SSH_AUTH_SOCK for the client.
  std::map<std::string, std::string> env() const;
  std::string url_of(const std::filesystem::path& bare_repo) const;
  // The sshd log, for failure messages.
  std::string log() const;

 private:
  SshGitServer() = default;
  TempDir dir_;
  int port_ = 0;
  std::string user_;
  std::unique_ptr<BackgroundProcess> sshd_;
  std::unique_ptr<BackgroundProcess> agent_;
};

}  // namespace sentryscan::testing
