// Archives built in memory at test time with libarchive's write API, so the
// tests depend on no zip/tar binaries and hold no binary fixtures.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sentryscan::testing {

struct ArchiveFile {
  std::string name;
  std::string data;
};

enum class Compression { none, gzip, bzip2, xz, zstd };

// A zip (deflated entries, or stored with `store`).
std::string make_zip(const std::vector<ArchiveFile>& files, bool store = false);

// A zip whose entries are encrypted with the traditional PKWARE cipher.
std::string make_encrypted_zip(const std::vector<ArchiveFile>& files, const std::string& passphrase);

// A POSIX tar, optionally compressed (.tar.gz etc.).
std::string make_tar(const std::vector<ArchiveFile>& files, Compression compression = Compression::none);

// One compressed stream, as `gzip file` writes it.
std::string compress(std::string_view data, Compression compression);

// An APK-shaped zip: manifest, resources and a classes.dex-like binary
// (dex magic, NUL bytes, random-looking bytes) that embeds `embedded`.
std::string make_apk(const std::string& embedded);

}  // namespace sentryscan::testing
