// RAII owners for libcurl handles: every CURL*, CURLM* and curl_slist is
// freed on every path, including exceptions thrown mid-run.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "core/c_handle.h"

namespace sentryscan::validate {

// curl_global_init is not safe to race with other threads starting curl; do it once.
void ensure_curl_initialized();

using EasyHandle = CHandle<CURL, curl_easy_cleanup>;

// A header list. Appending copies the string into curl's own memory.
class HeaderList {
 public:
  void append(const std::string& header);
  curl_slist* get() const { return list_.get(); }

 private:
  CHandle<curl_slist, curl_slist_free_all> list_;
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
