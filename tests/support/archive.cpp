#include "support/archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <stdexcept>

#include "core/c_handle.h"

namespace sentryscan::testing {
namespace {

using WriteArchive = CHandle<archive, archive_write_free>;
using Entry = CHandle<archive_entry, archive_entry_free>;

void check(archive* handle, int status, const char* what) {
  if (status < ARCHIVE_WARN) {
    const char* error = archive_error_string(handle);
    throw std::runtime_error(std::string(what) + ": " + (error ? error : "libarchive error"));
  }
}

la_ssize_t append(archive*, void* out, const void* buffer, size_t length) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

void add_filter(archive* handle, Compression compression) {
  switch (compression) {
    case Compression::none: return;
    case Compression::gzip:
      check(handle, archive_write_add_filter_gzip(handle), "gzip");
      // No MTIME in the header: the same input gives the same bytes whenever
      // the test runs (tests pick inputs by what their compressed bytes hold).
      check(handle, archive_write_set_filter_option(handle, "gzip", "timestamp", nullptr), "gzip timestamp");
      return;
    case Compression::bzip2: check(handle, archive_write_add_filter_bzip2(handle), "bzip2"); return;
    case Compression::xz: check(handle, archive_write_add_filter_xz(handle), "xz"); return;
    case Compression::zstd: check(handle, archive_write_add_filter_zstd(handle), "zstd"); return;
  }
}

// Writes `files` with a handle whose format and filters are already set.
std::string write_all(WriteArchive handle, const std::vector<ArchiveFile>& files) {
  std::string out;
  archive_write_set_bytes_in_last_block(handle.get(), 1);  // no padding to 10 KiB records
  check(handle.get(), archive_write_open2(handle.get(), &out, nullptr, append, nullptr, nullptr), "open");
  for (const ArchiveFile& file : files) {
    Entry entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), file.name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(file.data.size()));
    archive_entry_set_mtime(entry.get(), 1714521600, 0);
    check(handle.get(), archive_write_header(handle.get(), entry.get()), "header");
    if (!file.data.empty() &&
        archive_write_data(handle.get(), file.data.data(), file.data.size()) != static_cast<la_ssize_t>(file.data.size()))
      check(handle.get(), ARCHIVE_FATAL, "data");
  }
  check(handle.get(), archive_write_close(handle.get()), "close");
  return out;
}

}  // namespace

std::string make_zip(const std::vector<ArchiveFile>& files, bool store) {
  WriteArchive handle(archive_write_new());
  check(handle.get(), archive_write_set_format_zip(handle.get()), "zip");
  if (store) check(handle.get(), archive_write_zip_set_compression_store(handle.get()), "store");
  return write_all(std::move(handle), files);
}

std::string make_encrypted_zip(const std::vector<ArchiveFile>& files, const std::string& passphrase) {
  WriteArchive handle(archive_write_new());
  check(handle.get(), archive_write_set_format_zip(handle.get()), "zip");
  check(handle.get(), archive_write_set_options(handle.get(), "zip:encryption=zipcrypt"), "encryption");
  check(handle.get(), archive_write_set_passphrase(handle.get(), passphrase.c_str()), "passphrase");
  return write_all(std::move(handle), files);
}

std::string make_tar(const std::vector<ArchiveFile>& files, Compression compression) {
  WriteArchive handle(archive_write_new());
  check(handle.get(), archive_write_set_format_pax_restricted(handle.get()), "tar");
  add_filter(handle.get(), compression);
  return write_all(std::move(handle), files);
}

std::string compress(std::string_view data, Compression compression) {
  WriteArchive handle(archive_write_new());
  check(handle.get(), archive_write_set_format_raw(handle.get()), "raw");
  add_filter(handle.get(), compression);
  return write_all(std::move(handle), {{"data", std::string(data)}});
}

std::string make_apk(const std::string& embedded) {
  std::string dex("dex\n035\0", 8);
  for (int i = 0; i < 512; ++i) dex.push_back(static_cast<char>((i * 37 + 11) & 0xFF));
  dex.append(4, '\0');
  dex += embedded;
  dex.append(4, '\0');
  for (int i = 0; i < 256; ++i) dex.push_back(static_cast<char>((i * 91 + 5) & 0xFF));
  std::string manifest("\x03\x00\x08\x00", 4);
  manifest += std::string(64, '\0');
  return make_zip({{"AndroidManifest.xml", manifest},
                   {"classes.dex", dex},
                   {"resources.arsc", std::string(128, '\x02')},
                   {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nCreated-By: test\r\n"}});
}

}  // namespace sentryscan::testing
