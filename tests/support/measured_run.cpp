#include "support/measured_run.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/exec_image.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace sentryscan::testing {

MeasuredRun run_measured(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                         int timeout_seconds, const MeasuredOptions& options) {
  const auto out_path = scratch / "measured.out", err_path = scratch / "measured.err";
  const auto in_path = scratch / "measured.in";
  {
    std::ofstream in(in_path, std::ios::binary | std::ios::trunc);
    in << options.stdin_text;
  }
  const ExecImage image(args, options.env);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = open(in_path.c_str(), O_RDONLY);
    if (out < 0 || err < 0 || in < 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    exec_image(image);
  }
  MeasuredRun run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  rusage usage{};
  for (;;) {
    const pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      wait4(pid, &status, 0, &usage);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
  run.max_rss_kib = usage.ru_maxrss;
  run.out = read_file(out_path);
  run.err = read_file(err_path);
  return run;
}

long memory_limit_kib() {
#if defined(__SANITIZE_ADDRESS__)
  return 1024 * 1024;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return 1024 * 1024;
#endif
#endif
  return 256 * 1024;
}

TreeDir::TreeDir() {
  std::filesystem::path base = std::filesystem::temp_directory_path();
  if (std::filesystem::is_directory("/dev/shm") && access("/dev/shm", W_OK) == 0) base = "/dev/shm";
  std::string templ = (base / "sentryscan-tree-XXXXXX").string();
  if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
}

TreeDir::~TreeDir() { remove_tree(path_); }

void remove_tree(const std::filesystem::path& path) {
  // GNU rm walks with file descriptors and handles any depth.
  run_program({"rm", "-rf", "--", path.string()}, {});
}

}  // namespace sentryscan::testing
