#include "support/exec_image.h"

#include <unistd.h>

#include <string_view>

extern char** environ;

namespace sentryscan::testing {

ExecImage::ExecImage(const std::vector<std::string>& args, const std::map<std::string, std::string>& env)
    : args_(args) {
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string_view text(*entry);
    const std::string_view key = text.substr(0, text.find('='));
    if (!env.contains(std::string(key))) env_.emplace_back(text);
  }
  for (const auto& [key, value] : env) env_.push_back(key + "=" + value);
  for (auto& a : args_) argv_.push_back(a.data());
  argv_.push_back(nullptr);
  for (auto& e : env_) envp_.push_back(e.data());
  envp_.push_back(nullptr);
}

void exec_image(const ExecImage& image) {
  execvpe(image.argv()[0], image.argv(), image.envp());
  _exit(127);
}

}  // namespace sentryscan::testing
