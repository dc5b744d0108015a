// A one-line progress indicator on standard error for long scans (SPEC 2 --progress).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "engine/scan_context.h"

namespace sentryscan::cli {

class ProgressLine {
 public:
  // mode: "auto" (only when stderr is a terminal), "always" or "never".
  ProgressLine(const ScanContext& context, const std::string& mode);
  ~ProgressLine();  // stops the thread and erases the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void run();

  const ScanContext& context_;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  bool printed_ = false;
  std::thread thread_;
};

}  // namespace sentryscan::cli
