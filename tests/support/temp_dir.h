#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace sentryscan::testing {

// A fresh directory under the system temp dir, removed (recursively, after
// restoring permissions) when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/relative, creating parent directories.
  std::filesystem::path write(const std::filesystem::path& relative, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);

}  // namespace sentryscan::testing
