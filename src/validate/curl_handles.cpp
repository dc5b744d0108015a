#include "validate/curl_handles.h"

#include <mutex>
#include <new>
#include <stdexcept>

namespace sentryscan::validate {

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl initialisation failed");
  });
}

void HeaderList::append(const std::string& header) {
  curl_slist* grown = curl_slist_append(list_.get(), header.c_str());
  if (!grown) throw std::bad_alloc();
  // curl_slist_append returns the same head pointer once the list exists.
  if (!list_) list_.reset(grown);
}

MultiHandle::MultiHandle() : multi_(nullptr) {
  ensure_curl_initialized();
  multi_ = curl_multi_init();
  if (!multi_) throw std::bad_alloc();
}

MultiHandle::~MultiHandle() { curl_multi_cleanup(multi_); }

EasyHandle make_easy_handle() {
  ensure_curl_initialized();
  EasyHandle handle(curl_easy_init());
  if (!handle) throw std::bad_alloc();
  return handle;
}

}  // namespace sentryscan::validate
