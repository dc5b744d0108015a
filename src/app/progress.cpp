#include "app/progress.h"

#include <unistd.h>

#include <chrono>

#include "core/diagnostics.h"

namespace sentryscan {

ProgressLine::ProgressLine(const Collector& collector, const std::string& mode) : collector_(collector) {
  const bool enabled = mode == "always" || (mode == "auto" && isatty(STDERR_FILENO));
  if (enabled) thread_ = std::thread([this] { run(); });
}

ProgressLine::~ProgressLine() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  thread_.join();
  if (printed_) clear_progress();
}

void ProgressLine::run() {
  using namespace std::chrono_literals;
  const auto started = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  // Short scans stay silent: the first line appears after half a second.
  if (stop_.wait_for(lock, 500ms, [this] { return stopping_; })) return;
  do {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double mib = static_cast<double>(collector_.bytes_so_far()) / (1024.0 * 1024.0);
    print_progress("{} scanned, {:.1f} MiB, {:.0f} MiB/s", collector_.items_so_far(), mib,
                   seconds > 0 ? mib / seconds : 0.0);
    printed_ = true;
  } while (!stop_.wait_for(lock, 250ms, [this] { return stopping_; }));
}

}  // namespace sentryscan
