// Reading the small files a user hands us (config, ignore file, baseline),
// keeping the errno so callers can tell "absent" from "unreadable".
#pragma once

#include <filesystem>
#include <string>

namespace sentryscan {

struct UserFile {
  int error = 0;  // errno of the failed open/read; 0 on success
  std::string text;

  bool ok() const { return error == 0; }
  // The file (or a directory above it) does not exist.
  bool missing() const;
  // "No such file or directory" etc., for InputError messages.
  std::string error_text() const;
};

UserFile read_user_file(const std::filesystem::path& path);

// Drops a UTF-8 byte order mark: Windows editors and PowerShell redirections add one.
std::string_view strip_bom(std::string_view text);

}  // namespace sentryscan
