#include "source/file_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "core/glob.h"
#include "source/file_reader.h"

namespace sentryscan {
namespace {

// A directory to list, or a batch of files to scan.
struct WorkItem {
  bool is_directory = false;
  std::string root;                // the argument this item came from
  std::vector<std::string> paths;  // one directory, or a batch of files (display paths)
};

constexpr std::size_t kFileBatch = 64;

std::string join(const std::string& dir, const char* name) {
  if (dir == ".") return name;
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

// Path relative to the argument it was found under, for --exclude globs.
std::string_view relative_to(const std::string& root, const std::string& path) {
  if (root == "." || root.empty()) return path;
  if (path.size() > root.size() && path.compare(0, root.size(), root) == 0) {
    std::string_view rest(path);
    rest.remove_prefix(root.size());
    while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    return rest;
  }
  return path;
}

class Walker {
 public:
  Walker(const WalkOptions& options, ScanContext& context) : options_(options), context_(context) {}

  void run(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const auto& path : paths) seed(path, files);
    if (!files.empty()) push({false, "", std::move(files)});
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < context_.settings().threads; ++i) threads.emplace_back([this, i] { work(i); });
    work(0);
    for (auto& t : threads) t.join();
  }

 private:
  void seed(const std::string& path, std::vector<std::string>& files) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
      context_.add_issue({ScanIssue::Kind::incomplete, path, fmt::format("cannot scan: {}", std::strerror(errno))});
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      if (options_.follow_symlinks) remember_directory(st);
      push({true, path, {path}});
    } else {
      files.push_back(path);  // an explicit argument is scanned even through a symlink
    }
  }

  bool remember_directory(const struct stat& st) {
    std::lock_guard lock(mutex_);
    return visited_.insert({st.st_dev, st.st_ino}).second;
  }

  void push(WorkItem item) {
    {
      std::lock_guard lock(mutex_);
      ++pending_;
      queue_.push_back(std::move(item));
    }
    ready_.notify_one();
  }

  void work(unsigned worker) {
    std::vector<char> buffer;
    for (;;) {
      WorkItem item;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !queue_.empty() || pending_ == 0; });
        if (queue_.empty()) return;
        item = std::move(queue_.front());
        queue_.pop_front();
      }
      if (item.is_directory) {
        list_directory(worker, item.root, item.paths.front(), buffer);
      } else {
        // Seeds (root "") are explicit arguments: scanned even through a symlink.
        for (const auto& file : item.paths) scan_file(worker, file, item.root.empty(), buffer);
      }
      {
        std::lock_guard lock(mutex_);
        --pending_;
      }
      ready_.notify_all();
    }
  }

  bool excluded(const std::string& root, const std::string& path) const {
    const std::string_view relative = relative_to(root, path);
    for (const auto& glob : options_.exclude)
      if (glob_match(glob, relative)) return true;
    return false;
  }

  // Lists one directory: subdirectories go to the queue, files are scanned
  // here in batches (the last batch by this worker, to keep caches warm).
  void list_directory(unsigned worker, const std::string& root, const std::string& dir, std::vector<char>& buffer) {
    DIR* handle = opendir(dir.c_str());
    if (!handle) {
      context_.add_issue({ScanIssue::Kind::incomplete, dir, fmt::format("cannot read directory: {}", std::strerror(errno))});
      return;
    }
    std::vector<std::string> files;
    while (const dirent* entry = readdir(handle)) {
      const char* name = entry->d_name;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
      std::string path = join(dir, name);
      unsigned char type = entry->d_type;
      if (type == DT_UNKNOWN || (type == DT_LNK && options_.follow_symlinks)) type = resolve_type(path, type == DT_LNK);
      if (type == DT_DIR) {
        if (std::strcmp(name, ".git") == 0 || excluded(root, path)) continue;
        push({true, root, {std::move(path)}});
      } else if (type == DT_REG) {
        if (excluded(root, path)) continue;
        files.push_back(std::move(path));
        if (files.size() == kFileBatch) push({false, root, std::exchange(files, {})});
      }
      // Symlinks (unless followed), FIFOs, sockets and devices are skipped.
    }
    closedir(handle);
    for (const auto& file : files) scan_file(worker, file, false, buffer);
  }

  unsigned char resolve_type(const std::string& path, bool through_link) {
    struct stat st {};
    if ((through_link ? stat(path.c_str(), &st) : lstat(path.c_str(), &st)) != 0) {
      if (through_link && errno == ELOOP)
        context_.add_issue({ScanIssue::Kind::warning, path, "symbolic link loop; skipped"});
      return DT_UNKNOWN;
    }
    if (S_ISREG(st.st_mode)) return DT_REG;
    if (S_ISDIR(st.st_mode)) {
      if (through_link && !remember_directory(st)) {
        context_.add_issue({ScanIssue::Kind::warning, path, "directory already visited (symbolic link loop); skipped"});
        return DT_UNKNOWN;
      }
      return DT_DIR;
    }
    return DT_UNKNOWN;
  }

  void scan_file(unsigned worker, const std::string& path, bool explicit_argument, std::vector<char>& buffer) {
    const ReadOutcome outcome = read_regular_file(path, context_.settings().max_file_size,
                                                  options_.follow_symlinks || explicit_argument, buffer);
    switch (outcome.status) {
      case ReadStatus::ok: break;
      case ReadStatus::not_regular: return;
      case ReadStatus::vanished:
        context_.add_issue({ScanIssue::Kind::warning, path, "vanished during the scan"});
        return;
      case ReadStatus::too_large:
        context_.count_skipped();
        context_.add_issue({ScanIssue::Kind::incomplete, path,
                            fmt::format("skipped: {} bytes is larger than --max-file-size ({} bytes)", outcome.size,
                                        context_.settings().max_file_size)});
        return;
      case ReadStatus::error:
        context_.add_issue({ScanIssue::Kind::incomplete, path, fmt::format("cannot read: {}", outcome.error)});
        return;
    }
    Provenance provenance;
    provenance.kind = SourceKind::file;
    provenance.path = path.starts_with("./") ? path.substr(2) : path;
    context_.add_findings(context_.scan(worker, Chunk{std::string_view(buffer.data(), buffer.size()), provenance}));
    // Do not keep a huge buffer alive for the tiny files that usually follow.
    if (buffer.capacity() > (8u << 20)) std::vector<char>().swap(buffer);
  }

  const WalkOptions& options_;
  ScanContext& context_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<WorkItem> queue_;
  std::size_t pending_ = 0;
  std::set<std::pair<dev_t, ino_t>> visited_;
};

void scan_stdin(ScanContext& context) {
  std::vector<char> buffer;
  const ReadOutcome outcome = read_stream(STDIN_FILENO, context.settings().max_file_size, buffer);
  if (outcome.status == ReadStatus::too_large) {
    context.count_skipped();
    context.add_issue({ScanIssue::Kind::incomplete, "<stdin>",
                       fmt::format("skipped: standard input is larger than --max-file-size ({} bytes)",
                                   context.settings().max_file_size)});
    return;
  }
  if (outcome.status != ReadStatus::ok) {
    context.add_issue({ScanIssue::Kind::incomplete, "<stdin>", "cannot read standard input: " + outcome.error});
    return;
  }
  Provenance provenance;
  provenance.kind = SourceKind::stdin_input;
  provenance.path = "<stdin>";
  context.add_findings(context.scan(0, Chunk{std::string_view(buffer.data(), buffer.size()), provenance}));
}

}  // namespace

void scan_paths(const std::vector<std::string>& paths, const WalkOptions& options, ScanContext& context) {
  std::vector<std::string> files;
  bool read_stdin = false;
  for (const auto& path : paths) {
    if (path == "-") read_stdin = true;
    else files.push_back(path);
  }
  if (read_stdin) scan_stdin(context);
  if (!files.empty()) Walker(options, context).run(files);
}

}  // namespace sentryscan
