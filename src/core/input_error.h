#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace sentryscan {

// A malformed user-supplied file (config, ignore file, baseline, rules).
// what() is "FILE:LINE: message" (LINE omitted when 0); the CLI turns it into exit 2.
// Messages never quote secret values.
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::size_t line, const std::string& message);
  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }

 private:
  std::string file_;
  std::size_t line_;
};

}  // namespace sentryscan
