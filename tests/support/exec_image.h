// A program's argv and environment, made ready before fork().
//
//   const ExecImage image(args, {{"HOME", home}});   // in the parent: allocates
//   if (fork() == 0) { dup2(...); exec_image(image); } // in the child: no allocation
//
// Tests fork while other threads of the test process run (the smart-HTTP and
// ssh servers of tests/support, validation servers). A child that allocates
// between fork and exec (setenv, building argv) can find the allocator's lock
// held by a thread that no longer exists in it and wait forever; under
// AddressSanitizer it did (`git init` hung for the whole 60 s timeout in the
// sanitizer suite). So everything is built here, before fork.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace sentryscan::testing {

class ExecImage {
 public:
  // `env` overrides or adds to this process's environment.
  ExecImage(const std::vector<std::string>& args, const std::map<std::string, std::string>& env);
  ExecImage(const ExecImage&) = delete;
  ExecImage& operator=(const ExecImage&) = delete;

  char* const* argv() const { return argv_.data(); }
  char* const* envp() const { return envp_.data(); }

 private:
  std::vector<std::string> args_, env_;
  std::vector<char*> argv_, envp_;
};

// In the child after fork: execvpe (PATH search unless args[0] holds a '/'),
// then _exit(127). Calls nothing that allocates.
[[noreturn]] void exec_image(const ExecImage& image);

}  // namespace sentryscan::testing
