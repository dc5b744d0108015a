#include "source/git/blob_pool.h"

#include "core/release_memory.h"

namespace sentryscan::git {
namespace {

constexpr std::size_t kQueueCapacity = 4096;
// Two 8 MB blobs rebuilt at once, whatever the number of workers.
constexpr std::uint64_t kLargeBlobBudget = 64u << 20;

}  // namespace

void ReadBudget::acquire(std::uint64_t bytes) {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [&] { return held_ == 0 || held_ + bytes <= capacity_; });
  held_ += bytes;
}

void ReadBudget::release(std::uint64_t bytes) {
  {
    std::lock_guard lock(mutex_);
    held_ -= bytes;
  }
  freed_.notify_all();
}

BlobReader::BlobReader(const std::string& repository_path, ReadBudget* budget)
    : repo_(open_repository(repository_path)), budget_(budget) {
  git_odb* raw = nullptr;
  check(git_repository_odb(&raw, repo_.get()), "opening the object database");
  odb_.reset(raw);
}

BlobReader::~BlobReader() { release_budget(); }

void BlobReader::release_budget() {
  if (budget_ && held_ > 0) {
    budget_->release(held_);
    // Hand the blob's pages back now: glibc keeps freed chunks of this size
    // in the arena otherwise, and every worker's arena would hold one.
    release_free_memory();
  }
  held_ = 0;
}

std::string_view BlobReader::Result::data() const {
  if (!object) return {};
  return {static_cast<const char*>(git_odb_object_data(object.get())), git_odb_object_size(object.get())};
}

BlobReader::Result BlobReader::read(const git_oid& oid, std::uint64_t max_size) {
  release_budget();
  Result result;
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  int rc = git_odb_read_header(&size, &type, odb_.get(), &oid);
  if (rc < 0) {
    result.status = rc == GIT_ENOTFOUND ? Status::missing : Status::corrupt;
    result.error = last_error_text(rc);
    return result;
  }
  result.size = size;
  if (type != GIT_OBJECT_BLOB) {
    result.status = Status::not_blob;
    return result;
  }
  if (size > max_size) {
    result.status = Status::too_big;
    return result;
  }
  if (budget_ && size >= kLargeBlob) {
    held_ = 3 * static_cast<std::uint64_t>(size);
    budget_->acquire(held_);
  }
  git_odb_object* raw = nullptr;
  rc = git_odb_read(&raw, odb_.get(), &oid);
  if (rc < 0) {
    result.status = rc == GIT_ENOTFOUND ? Status::missing : Status::corrupt;
    result.error = last_error_text(rc);
    return result;
  }
  result.object.reset(raw);
  return result;
}

BlobPool::BlobPool(const std::string& repository_path, unsigned threads, Work work)
    : work_(std::move(work)), budget_(kLargeBlobBudget) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this, i, repository_path] { run(i, repository_path); });
}

BlobPool::~BlobPool() {
  try {
    finish();
  } catch (...) {
    // Destruction after an earlier failure: the first error was already raised.
  }
}

void BlobPool::submit(BlobJob job) {
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [&] { return queue_.size() < kQueueCapacity || error_; });
  if (error_) return;  // finish() reports it
  queue_.push_back(std::move(job));
  not_empty_.notify_one();
}

void BlobPool::finish() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  not_empty_.notify_all();
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  threads_.clear();
  if (error_) {
    auto error = error_;
    error_ = nullptr;
    std::rethrow_exception(error);
  }
}

void BlobPool::run(unsigned worker, const std::string& repository_path) {
  std::optional<BlobReader> reader;
  try {
    reader.emplace(repository_path, &budget_);
  } catch (...) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
    not_full_.notify_all();
    return;
  }
  for (;;) {
    BlobJob job;
    {
      std::unique_lock lock(mutex_);
      not_empty_.wait(lock, [&] { return !queue_.empty() || closing_ || error_; });
      if (error_ || queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      not_full_.notify_one();
    }
    try {
      work_(worker, *reader, job);
      reader->release_budget();
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
      not_full_.notify_all();
      not_empty_.notify_all();
      return;
    }
  }
}

}  // namespace sentryscan::git
