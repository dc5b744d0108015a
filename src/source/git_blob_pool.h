// Reads blobs on worker threads, each with its own repository handle (libgit2
// objects are not shared across threads), fed by one producer through a
// bounded queue so enumeration and scanning overlap and memory stays flat.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "source/git_handle.h"

namespace sentryscan::git {

// One worker's view of the object database.
class BlobReader {
 public:
  explicit BlobReader(const std::string& repository_path);

  enum class Status { ok, missing, corrupt, too_big, not_blob };
  struct Result {
    Status status = Status::ok;
    std::uint64_t size = 0;
    std::string error;   // libgit2's message for missing/corrupt
    OdbObject object;    // set when ok; data valid while it lives
    std::string_view data() const;
  };

  // Checks type and size from the object header first, so oversized and
  // non-blob objects are never inflated.
  Result read(const git_oid& oid, std::uint64_t max_size);

 private:
  Repository repo_;
  Odb odb_;
};

struct BlobJob {
  git_oid oid{};
  std::string path;
  std::uint64_t tag = 0;  // the producer's own bookkeeping (commit index, sequence...)
};

class BlobPool {
 public:
  // `work` runs on worker `worker` (0 <= worker < threads) with that worker's reader.
  using Work = std::function<void(unsigned worker, BlobReader& reader, BlobJob& job)>;

  BlobPool(const std::string& repository_path, unsigned threads, Work work);
  ~BlobPool();
  BlobPool(const BlobPool&) = delete;
  BlobPool& operator=(const BlobPool&) = delete;

  // Blocks while the queue is full.
  void submit(BlobJob job);
  // Waits for every submitted job; rethrows the first exception a worker raised.
  void finish();

 private:
  void run(unsigned worker, const std::string& repository_path);

  Work work_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<BlobJob> queue_;
  bool closing_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
};

}  // namespace sentryscan::git
