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

#include "source/git/handle.h"

namespace sentryscan::git {

// Bytes of large blobs being rebuilt and scanned at once, shared by the
// workers of one pool. Rebuilding a blob at the end of a delta chain holds
// the blob, its base and the delta, about three times its size: with 8 MB
// files each worker held ~25 MiB, so peak memory grew with the thread count
// (207 MiB at 2 threads, 359 MiB at 8 on the benchmark repository).
class ReadBudget {
 public:
  explicit ReadBudget(std::uint64_t bytes) : capacity_(bytes) {}
  // Blocks until `bytes` fit. A request larger than the whole budget waits
  // until nothing else is held, so it runs alone instead of never.
  void acquire(std::uint64_t bytes);
  void release(std::uint64_t bytes);

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  const std::uint64_t capacity_;
  std::uint64_t held_ = 0;
};

// One worker's view of the object database.
class BlobReader {
 public:
  // Blobs from kLargeBlob bytes up take three times their size from `budget`
  // (nullptr: no limit) until the next read or release_budget().
  static constexpr std::uint64_t kLargeBlob = 1u << 20;
  explicit BlobReader(const std::string& repository_path, ReadBudget* budget = nullptr);
  ~BlobReader();
  BlobReader(const BlobReader&) = delete;
  BlobReader& operator=(const BlobReader&) = delete;

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
  // The previous read's object is no longer used.
  void release_budget();

 private:
  Repository repo_;
  Odb odb_;
  ReadBudget* budget_;
  std::uint64_t held_ = 0;
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
  ReadBudget budget_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<BlobJob> queue_;
  bool closing_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
};

}  // namespace sentryscan::git
