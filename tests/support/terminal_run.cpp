#include "support/terminal_run.h"

#include "support/exec_image.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <stdexcept>

namespace sentryscan::testing {

CliResult run_sentryscan_on_terminal(const std::vector<std::string>& args, const CliOptions& options) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) throw std::runtime_error("no pseudo-terminal");
  const std::string slave_name = ptsname(master);
  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");

  std::vector<std::string> full{SENTRYSCAN_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  const ExecImage image(full, options.env);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    setsid();
    const int slave = open(slave_name.c_str(), O_RDWR);
    const int null = open("/dev/null", O_RDONLY);
    if (slave < 0 || null < 0) _exit(127);
    dup2(null, 0);
    dup2(slave, 1);
    dup2(err_pipe[1], 2);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(127);
    exec_image(image);
  }
  close(err_pipe[1]);

  CliResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_seconds);
  bool out_open = true, err_open = true;
  char buffer[65536];
  while (out_open || err_open) {
    std::vector<pollfd> fds;
    if (out_open) fds.push_back({master, POLLIN, 0});
    if (err_open) fds.push_back({err_pipe[0], POLLIN, 0});
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    if (poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0) continue;
    for (const auto& p : fds) {
      if (!p.revents) continue;
      const ssize_t n = read(p.fd, buffer, sizeof buffer);
      // The master reads EIO once the child (the terminal's last user) has exited.
      if (n <= 0) {
        (p.fd == master ? out_open : err_open) = false;
        continue;
      }
      (p.fd == master ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
    }
  }
  close(master);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace sentryscan::testing
