#include "source/files/file_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "core/file_descriptor.h"
#include "core/glob.h"
#include "source/files/directory_reader.h"
#include "source/files/file_reader.h"
#include "source/files/special_file.h"

namespace sentryscan {
namespace {

// An open directory that queued work opens its entries relative to. Only
// directories with long paths hand one out (see kLongPath), so a deep tree
// holds about two of them and a wide one none.
using DirFd = FileDescriptor;

// Where an entry is opened from: by its display path, or, below a long path,
// by its name relative to the open parent directory (paths past PATH_MAX
// cannot be opened whole, and a tree 10,000 levels deep is legal).
struct Base {
  std::shared_ptr<const DirFd> dir;  // null: open by display path
  int fd() const { return dir ? dir->get() : AT_FDCWD; }
};

const char* last_component(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return path.c_str() + (slash == std::string::npos ? 0 : slash + 1);
}

// What to hand to openat(base.fd(), ...) for the entry at `path`.
const char* relative_name(const std::string& path, const Base& base) {
  return base.dir ? last_component(path) : path.c_str();
}

// Display paths longer than this are opened relative to their parent.
constexpr std::size_t kLongPath = 2048;

// A directory to list, or a batch of files from one directory to scan.
struct WorkItem {
  bool is_directory = false;
  bool argument = false;           // named on the command line: followed even if a symlink
  std::size_t root = 0;            // index in roots_ of the argument this item came from
  Base base;
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
  Walker(const WalkOptions& options, const Scanner& scanner, ScanSink& sink) : options_(options), scanner_(scanner), sink_(sink) {}

  void run(const std::vector<std::string>& paths) {
    roots_.push_back("");  // index 0: explicit file arguments
    root_prefixes_.push_back(std::nullopt);
    std::vector<std::string> files;
    std::vector<std::string> streams;
    for (const auto& path : paths) seed(path, files, streams);
    // Before the workers start, on this thread: streams are read whole, one at a time.
    for (const auto& path : streams) scan_named_stream(path);
    if (!files.empty()) push({false, true, 0, {}, std::move(files)});
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < scanner_.workers(); ++i) threads.emplace_back([this, i] { work(i); });
    work(0);
    for (auto& t : threads) t.join();
  }

 private:
  void seed(const std::string& path, std::vector<std::string>& files, std::vector<std::string>& streams) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
      sink_.add_issue({ScanIssue::Kind::incomplete, path, fmt::format("cannot scan: {}", std::strerror(errno))});
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      if (options_.follow_symlinks) remember_directory(st);
      roots_.push_back(path);
      root_prefixes_.push_back(prefix_of(path));
      push({true, true, roots_.size() - 1, {}, {path}});
    } else if (S_ISREG(st.st_mode)) {
      files.push_back(path);  // an explicit argument is scanned even through a symlink
    } else if (S_ISSOCK(st.st_mode)) {
      sink_.add_issue({ScanIssue::Kind::incomplete, path, "cannot scan: a socket is not a file or a stream"});
    } else {
      streams.push_back(path);  // a FIFO, a pipe (`<(cmd)`, /dev/stdin) or a device: read like `-`
    }
  }

  // A FIFO, pipe or device named on the command line (special_file.h).
  void scan_named_stream(const std::string& path) {
    ReadBuffer buffer;
    const ReadOutcome outcome = read_named_stream(path, scanner_.limits().max_file_size, buffer);
    switch (outcome.status) {
      case ReadStatus::ok: break;
      case ReadStatus::too_large:
        sink_.count_skipped();
        sink_.add_issue({ScanIssue::Kind::incomplete, path,
                            fmt::format("skipped: the stream is larger than --max-file-size ({} bytes)",
                                        scanner_.limits().max_file_size)});
        return;
      case ReadStatus::vanished:
        sink_.add_issue({ScanIssue::Kind::incomplete, path, "cannot scan: it vanished"});
        return;
      case ReadStatus::not_regular:
        sink_.add_issue({ScanIssue::Kind::incomplete, path, "cannot scan: it changed type"});
        return;
      case ReadStatus::error:
        sink_.add_issue({ScanIssue::Kind::incomplete, path, fmt::format("cannot read: {}", outcome.error)});
        return;
    }
    scan_buffer(0, path, buffer);
  }

  // A special file met inside a directory: not opened, but counted and named.
  void skip_special(const std::string& path, const char* kind) {
    sink_.count_skipped();
    sink_.add_issue({ScanIssue::Kind::warning, path, fmt::format("skipped: a {}, not a regular file", kind)});
  }

  bool remember_directory(const struct stat& st) {
    std::lock_guard lock(mutex_);
    return visited_.insert({st.st_dev, st.st_ino}).second;
  }

  void push(WorkItem item) {
    {
      std::lock_guard lock(mutex_);
      ++pending_;
      if (!item.is_directory) ++queued_batches_;
      queue_.push_back(std::move(item));
    }
    ready_.notify_one();
  }

  // Wide directories produce file batches faster than they are scanned; past
  // a few per thread the lister scans them itself, so memory stays bounded
  // however many entries a directory has.
  bool batches_wanted() {
    std::lock_guard lock(mutex_);
    return queued_batches_ < 2 * static_cast<std::size_t>(scanner_.workers());
  }

  void work(unsigned worker) {
    ReadBuffer buffer;
    for (;;) {
      WorkItem item;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !queue_.empty() || pending_ == 0; });
        if (queue_.empty()) return;
        item = std::move(queue_.front());
        queue_.pop_front();
        if (!item.is_directory) --queued_batches_;
      }
      if (item.is_directory) {
        list_directory(worker, item, buffer);
      } else {
        for (const auto& file : item.paths)
          scan_file(worker, item.base.fd(), relative_name(file, item.base), file, item.argument, buffer);
      }
      item = {};  // drop the parent directory before waiting for more work
      {
        std::lock_guard lock(mutex_);
        --pending_;
      }
      ready_.notify_all();
    }
  }

  bool excluded(std::size_t root, const std::string& path) const {
    const std::string_view relative = relative_to(roots_[root], path);
    if (!options_.exclude.empty() && options_.exclude.matches(relative)) return true;
    const std::optional<std::string>& prefix = root_prefixes_[root];
    if (!prefix || options_.rooted_exclude.empty()) return false;
    return options_.rooted_exclude.matches(prefix->empty() ? std::string(relative) : *prefix + "/" + std::string(relative));
  }

  // Where a directory argument is below options_.rooted_at ("src"; "" for
  // the directory itself), for the repository files' globs.
  std::optional<std::string> prefix_of(const std::string& root) const {
    if (options_.rooted_at.empty()) return std::nullopt;
    std::error_code ec;
    const auto path = std::filesystem::weakly_canonical(std::filesystem::absolute(root, ec), ec);
    if (ec) return std::nullopt;
    const auto relative = path.lexically_relative(options_.rooted_at);
    if (relative.empty() || *relative.begin() == "..") return std::nullopt;
    return relative == "." ? std::string() : relative.generic_string();
  }

  int open_directory(const WorkItem& item) const {
    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK;
    // The type was checked when the entry was listed; O_NOFOLLOW keeps a
    // symlink swapped in since then from taking the walk elsewhere.
    if (!options_.follow_symlinks && !item.argument) flags |= O_NOFOLLOW;
    return openat(item.base.fd(), relative_name(item.paths.front(), item.base), flags);
  }

  // Lists one directory: subdirectories go to the queue, files are scanned
  // here in batches (the last batch by this worker, to keep caches warm).
  void list_directory(unsigned worker, const WorkItem& item, ReadBuffer& buffer) {
    const std::string& dir = item.paths.front();
    const std::size_t root = item.root;
    const int fd = open_directory(item);
    if (fd < 0) {
      sink_.add_issue({ScanIssue::Kind::incomplete, dir, fmt::format("cannot read directory: {}", std::strerror(errno))});
      return;
    }
    DirectoryReader reader(fd);
    // Children of a long path are opened relative to this directory.
    Base children;
    if (dir.size() >= kLongPath) {
      const int anchor = openat(reader.fd(), ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (anchor >= 0) children.dir = std::make_shared<const DirFd>(anchor);
    }
    std::vector<std::string> files;
    while (const DirectoryEntry* entry = reader.next()) {
      const char* name = entry->name;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
      std::string path = join(dir, name);
      unsigned char type = entry->type;
      if (type == DT_UNKNOWN || (type == DT_LNK && options_.follow_symlinks))
        type = resolve_type(reader.fd(), name, path, type == DT_LNK);
      if (type == DT_DIR) {
        if (std::strcmp(name, ".git") == 0 || excluded(root, path)) continue;
        push({true, false, item.root, children, {std::move(path)}});
      } else if (type == DT_FIFO || type == DT_SOCK || type == DT_CHR || type == DT_BLK) {
        if (!excluded(root, path)) skip_special(path, special_file_kind(DTTOIF(type)));
      } else if (type == DT_REG) {
        if (excluded(root, path)) continue;
        files.push_back(std::move(path));
        if (files.size() == kFileBatch) {
          if (batches_wanted()) {
            push({false, false, item.root, children, std::exchange(files, {})});
          } else {
            for (const auto& file : files) scan_file(worker, reader.fd(), last_component(file), file, false, buffer);
            files.clear();
          }
        }
      }
      // Symbolic links (unless followed) are skipped, as documented.
    }
    if (reader.failed())
      sink_.add_issue({ScanIssue::Kind::incomplete, dir, fmt::format("cannot read directory: {}", std::strerror(reader.error()))});
    for (const auto& file : files) scan_file(worker, reader.fd(), last_component(file), file, false, buffer);
  }

  unsigned char resolve_type(int dir_fd, const char* name, const std::string& path, bool through_link) {
    struct stat st {};
    if (fstatat(dir_fd, name, &st, through_link ? 0 : AT_SYMLINK_NOFOLLOW) != 0) {
      if (through_link && errno == ELOOP)
        sink_.add_issue({ScanIssue::Kind::warning, path, "symbolic link loop; skipped"});
      return DT_UNKNOWN;
    }
    if (S_ISREG(st.st_mode)) return DT_REG;
    if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
      return IFTODT(st.st_mode);
    if (S_ISDIR(st.st_mode)) {
      if (through_link && !remember_directory(st)) {
        sink_.add_issue({ScanIssue::Kind::warning, path, "directory already visited (symbolic link loop); skipped"});
        return DT_UNKNOWN;
      }
      return DT_DIR;
    }
    return DT_UNKNOWN;
  }

  // Opens `name` relative to `dir_fd` (AT_FDCWD for display paths); `path`
  // is what reports show.
  void scan_file(unsigned worker, int dir_fd, const char* name, const std::string& path, bool explicit_argument,
                 ReadBuffer& buffer) {
    const ReadOutcome outcome = read_regular_file_at(dir_fd, name, scanner_.limits().max_file_size,
                                                     options_.follow_symlinks || explicit_argument,
                                                     /*listed_regular=*/!explicit_argument, buffer);
    switch (outcome.status) {
      case ReadStatus::ok: break;
      case ReadStatus::not_regular:
        // Replaced by a FIFO, device or symbolic link since it was listed or stat'ed.
        if (explicit_argument) {
          sink_.add_issue({ScanIssue::Kind::incomplete, path, "cannot scan: no longer a regular file"});
        } else {
          sink_.count_skipped();
          sink_.add_issue({ScanIssue::Kind::warning, path, "skipped: no longer a regular file"});
        }
        return;
      case ReadStatus::vanished:
        sink_.add_issue({ScanIssue::Kind::warning, path, "vanished during the scan"});
        return;
      case ReadStatus::too_large:
        sink_.count_skipped();
        sink_.add_issue({ScanIssue::Kind::incomplete, path,
                            fmt::format("skipped: {} bytes is larger than --max-file-size ({} bytes)", outcome.size,
                                        scanner_.limits().max_file_size)});
        return;
      case ReadStatus::error:
        sink_.add_issue({ScanIssue::Kind::incomplete, path, fmt::format("cannot read: {}", outcome.error)});
        return;
    }
    scan_buffer(worker, path, buffer);
    // Do not keep a huge buffer alive for the tiny files that usually follow.
    buffer.shrink_if_above(8u << 20);
  }

  void scan_buffer(unsigned worker, const std::string& path, const ReadBuffer& buffer) {
    Provenance provenance;
    provenance.kind = SourceKind::file;
    provenance.path = path.starts_with("./") ? path.substr(2) : path;
    push_scan(scanner_, sink_, worker, Chunk{buffer.view(), std::move(provenance)});
  }

  const WalkOptions& options_;
  const Scanner& scanner_;
  ScanSink& sink_;
  std::vector<std::string> roots_;  // written before the workers start
  std::vector<std::optional<std::string>> root_prefixes_;  // each root's prefix_of, likewise
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<WorkItem> queue_;
  std::size_t pending_ = 0;
  std::size_t queued_batches_ = 0;
  std::set<std::pair<dev_t, ino_t>> visited_;
};

void scan_stdin(const Scanner& scanner, ScanSink& sink) {
  ReadBuffer buffer;
  const ReadOutcome outcome = read_stream(STDIN_FILENO, scanner.limits().max_file_size, buffer);
  if (outcome.status == ReadStatus::too_large) {
    sink.count_skipped();
    sink.add_issue({ScanIssue::Kind::incomplete, "<stdin>",
                       fmt::format("skipped: standard input is larger than --max-file-size ({} bytes)",
                                   scanner.limits().max_file_size)});
    return;
  }
  if (outcome.status != ReadStatus::ok) {
    sink.add_issue({ScanIssue::Kind::incomplete, "<stdin>", "cannot read standard input: " + outcome.error});
    return;
  }
  Provenance provenance;
  provenance.kind = SourceKind::stdin_input;
  provenance.path = "<stdin>";
  push_scan(scanner, sink, 0, Chunk{buffer.view(), provenance});
}

}  // namespace

void scan_paths(const std::vector<std::string>& paths, const WalkOptions& options, const Scanner& scanner, ScanSink& sink) {
  std::vector<std::string> files;
  bool read_stdin = false;
  for (const auto& path : paths) {
    if (path == "-") read_stdin = true;
    else files.push_back(path);
  }
  if (read_stdin) scan_stdin(scanner, sink);
  if (!files.empty()) Walker(options, scanner, sink).run(files);
}

}  // namespace sentryscan
