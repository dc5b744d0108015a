// A one-line progress indicator on standard error for long scans (SPEC 2 --progress).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "scan/collector.h"

namespace sentryscan {

class ProgressLine {
 public:
  // mode: "auto" (only when stderr is a terminal), "always" or "never".
  ProgressLine(const Collector& collector, const std::string& mode);
  ~ProgressLine();  // stops the thread and erases the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void run();

  const Collector& collector_;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  bool printed_ = false;
  std::thread thread_;
};

}  // namespace sentryscan
