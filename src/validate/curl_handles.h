// RAII owners for libcurl handles: every CURL*, CURLM* and curl_slist is
// freed on every path, including exceptions thrown mid-run.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

namespace sentryscan::validate {

// curl_global_init is not safe to race with other threads starting curl; do it once.
void ensure_curl_initialized();

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// A header list. Appending copies the string into curl's own memory.
class HeaderList {
 public:
  void append(const std::string& header);
  curl_slist* get() const { return list_.get(); }

 private:
  std::unique_ptr<curl_slist, SlistDeleter> list_;
};

// A multi handle. Easy handles added to it must be removed before they die;
// MultiHandle does not own them (the driver keeps them with their buffers).
class MultiHandle {
 public:
  MultiHandle();
  ~MultiHandle();
  MultiHandle(const MultiHandle&) = delete;
  MultiHandle& operator=(const MultiHandle&) = delete;
  CURLM* get() const { return multi_; }

 private:
  CURLM* multi_;
};

EasyHandle make_easy_handle();

}  // namespace sentryscan::validate
