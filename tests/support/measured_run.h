// Running the sentryscan binary as a child and reading its peak memory from
// wait4(): SPEC 7 caps any scan at 256 MiB, and the hardening tests check it
// on trees built to blow it up.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sentryscan::testing {

struct MeasuredRun {
  int exit_code = -1;  // -1: killed (timeout or signal)
  int signal = 0;
  long max_rss_kib = 0;
  std::string out, err;
};

struct MeasuredOptions {
  std::map<std::string, std::string> env;  // added to the environment
  std::string stdin_text;
};

// stdout and stderr go to files under `scratch`, so huge reports cannot fill a pipe.
MeasuredRun run_measured(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                         int timeout_seconds, const MeasuredOptions& options = {});

// Peak memory a scan may use in this build: SPEC 7's 256 MiB, with room for
// AddressSanitizer's shadow memory and quarantine in sanitizer builds.
long memory_limit_kib();

// A temporary directory for trees of many entries: on tmpfs (/dev/shm) when
// there is one, since creating a million files on a journaling disk takes
// minutes. Removed with remove_tree(), whatever its depth.
class TreeDir {
 public:
  TreeDir();
  ~TreeDir();
  TreeDir(const TreeDir&) = delete;
  TreeDir& operator=(const TreeDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Removes a tree of any depth (std::filesystem::remove_all works on whole
// paths and stops at PATH_MAX).
void remove_tree(const std::filesystem::path& path);

}  // namespace sentryscan::testing
