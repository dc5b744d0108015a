// The libcurl functions sentryscan calls, loaded on first use (see
// core/lazy_library.h); the executable does not link libcurl.
#define CURL_DISABLE_TYPECHECK  // curl.h would make curl_easy_setopt a macro
#include <curl/curl.h>

#include <cstdarg>

#include "core/lazy_library.h"

namespace {

template <class F>
F libcurl(const char* symbol) {
  return sentryscan::lazy_function<F>({"libcurl.so.4", "libcurl.so"}, symbol);
}

}  // namespace

// Each stub resolves the real function once (a thread-safe static) and calls it.
#define SENTRYSCAN_REAL(name) static const auto real = libcurl<decltype(&::name)>(#name)

extern "C" {

CURLcode curl_global_init(long flags) {
  SENTRYSCAN_REAL(curl_global_init);
  return real(flags);
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
  SENTRYSCAN_REAL(curl_slist_append);
  return real(list, text);
}

void curl_slist_free_all(curl_slist* list) {
  SENTRYSCAN_REAL(curl_slist_free_all);
  real(list);
}

CURL* curl_easy_init(void) {
  SENTRYSCAN_REAL(curl_easy_init);
  return real();
}

void curl_easy_cleanup(CURL* handle) {
  SENTRYSCAN_REAL(curl_easy_cleanup);
  real(handle);
}

// Variadic: the type of the one argument follows from the option's number
// (curl.h's CURLOPTTYPE_* ranges). Object and function pointers travel alike.
CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
  SENTRYSCAN_REAL(curl_easy_setopt);
  va_list args;
  va_start(args, option);
  CURLcode result;
  if (option < CURLOPTTYPE_OBJECTPOINT)
    result = real(handle, option, va_arg(args, long));
  else if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB)
    result = real(handle, option, va_arg(args, curl_off_t));
  else
    result = real(handle, option, va_arg(args, void*));
  va_end(args);
  return result;
}

// Every CURLINFO_* takes a pointer to where the answer goes.
CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
  SENTRYSCAN_REAL(curl_easy_getinfo);
  va_list args;
  va_start(args, info);
  const CURLcode result = real(handle, info, va_arg(args, void*));
  va_end(args);
  return result;
}

const char* curl_easy_strerror(CURLcode code) {
  SENTRYSCAN_REAL(curl_easy_strerror);
  return real(code);
}

time_t curl_getdate(const char* text, const time_t* unused) {
  SENTRYSCAN_REAL(curl_getdate);
  return real(text, unused);
}

CURLM* curl_multi_init(void) {
  SENTRYSCAN_REAL(curl_multi_init);
  return real();
}

CURLMcode curl_multi_cleanup(CURLM* multi) {
  SENTRYSCAN_REAL(curl_multi_cleanup);
  return real(multi);
}

CURLMcode curl_multi_add_handle(CURLM* multi, CURL* handle) {
  SENTRYSCAN_REAL(curl_multi_add_handle);
  return real(multi, handle);
}

CURLMcode curl_multi_remove_handle(CURLM* multi, CURL* handle) {
  SENTRYSCAN_REAL(curl_multi_remove_handle);
  return real(multi, handle);
}

CURLMcode curl_multi_perform(CURLM* multi, int* running) {
  SENTRYSCAN_REAL(curl_multi_perform);
  return real(multi, running);
}

CURLMcode curl_multi_poll(CURLM* multi, curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms,
                          int* numfds) {
  SENTRYSCAN_REAL(curl_multi_poll);
  return real(multi, extra_fds, extra_nfds, timeout_ms, numfds);
}

CURLMsg* curl_multi_info_read(CURLM* multi, int* left) {
  SENTRYSCAN_REAL(curl_multi_info_read);
  return real(multi, left);
}

}  // extern "C"
