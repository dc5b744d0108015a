#include "core/input_error.h"

namespace sentryscan {

namespace {
std::string compose(const std::string& file, std::size_t line, const std::string& message) {
  return line ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message;
}
}  // namespace

InputError::InputError(std::string file, std::size_t line, const std::string& message)
    : std::runtime_error(compose(file, line, message)), file_(std::move(file)), line_(line) {}

}  // namespace sentryscan
