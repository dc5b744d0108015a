// The libarchive functions sentryscan reads archives with, loaded on first
// use (see core/lazy_library.h); the executable does not link libarchive.
#include <archive.h>
#include <archive_entry.h>

#include "core/lazy_library.h"

namespace {

template <class F>
F libarchive(const char* symbol) {
  return sentryscan::lazy_function<F>({"libarchive.so.13", "libarchive.so"}, symbol);
}

}  // namespace

// Each stub resolves the real function once (a thread-safe static) and calls it.
#define SENTRYSCAN_REAL(name) static const auto real = libarchive<decltype(&::name)>(#name)

extern "C" {

struct archive* archive_read_new(void) {
  SENTRYSCAN_REAL(archive_read_new);
  return real();
}

int archive_read_free(struct archive* a) {
  SENTRYSCAN_REAL(archive_read_free);
  return real(a);
}

int archive_read_append_filter(struct archive* a, int code) {
  SENTRYSCAN_REAL(archive_read_append_filter);
  return real(a, code);
}

int archive_read_support_filter_gzip(struct archive* a) {
  SENTRYSCAN_REAL(archive_read_support_filter_gzip);
  return real(a);
}

int archive_read_support_filter_bzip2(struct archive* a) {
  SENTRYSCAN_REAL(archive_read_support_filter_bzip2);
  return real(a);
}

int archive_read_support_filter_xz(struct archive* a) {
  SENTRYSCAN_REAL(archive_read_support_filter_xz);
  return real(a);
}

int archive_read_support_filter_zstd(struct archive* a) {
  SENTRYSCAN_REAL(archive_read_support_filter_zstd);
  return real(a);
}

int archive_read_support_format_zip(struct archive* a) {
  SENTRYSCAN_REAL(archive_read_support_format_zip);
  return real(a);
}

int archive_read_support_format_tar(struct archive* a) {
  SENTRYSCAN_REAL(archive_read_support_format_tar);
  return real(a);
}

int archive_read_support_format_raw(struct archive* a) {
  SENTRYSCAN_REAL(archive_read_support_format_raw);
  return real(a);
}

int archive_read_set_format_option(struct archive* a, const char* module, const char* option, const char* value) {
  SENTRYSCAN_REAL(archive_read_set_format_option);
  return real(a, module, option, value);
}

la_int64_t archive_read_header_position(struct archive* a) {
  SENTRYSCAN_REAL(archive_read_header_position);
  return real(a);
}

int archive_read_open_memory(struct archive* a, const void* bytes, size_t size) {
  SENTRYSCAN_REAL(archive_read_open_memory);
  return real(a, bytes, size);
}

int archive_read_next_header(struct archive* a, struct archive_entry** entry) {
  SENTRYSCAN_REAL(archive_read_next_header);
  return real(a, entry);
}

la_ssize_t archive_read_data(struct archive* a, void* buffer, size_t size) {
  SENTRYSCAN_REAL(archive_read_data);
  return real(a, buffer, size);
}

const char* archive_error_string(struct archive* a) {
  SENTRYSCAN_REAL(archive_error_string);
  return real(a);
}

int archive_format(struct archive* a) {
  SENTRYSCAN_REAL(archive_format);
  return real(a);
}

la_int64_t archive_filter_bytes(struct archive* a, int index) {
  SENTRYSCAN_REAL(archive_filter_bytes);
  return real(a, index);
}

int archive_filter_code(struct archive* a, int index) {
  SENTRYSCAN_REAL(archive_filter_code);
  return real(a, index);
}

const char* archive_entry_pathname(struct archive_entry* entry) {
  SENTRYSCAN_REAL(archive_entry_pathname);
  return real(entry);
}

const char* archive_entry_pathname_utf8(struct archive_entry* entry) {
  SENTRYSCAN_REAL(archive_entry_pathname_utf8);
  return real(entry);
}

const char* archive_entry_symlink(struct archive_entry* entry) {
  SENTRYSCAN_REAL(archive_entry_symlink);
  return real(entry);
}

const char* archive_entry_hardlink(struct archive_entry* entry) {
  SENTRYSCAN_REAL(archive_entry_hardlink);
  return real(entry);
}

__LA_MODE_T archive_entry_filetype(struct archive_entry* entry) {
  SENTRYSCAN_REAL(archive_entry_filetype);
  return real(entry);
}

int archive_entry_is_encrypted(struct archive_entry* entry) {
  SENTRYSCAN_REAL(archive_entry_is_encrypted);
  return real(entry);
}

}  // extern "C"
