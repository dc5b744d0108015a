#include "source/git/scan_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "core/glob.h"

namespace sentryscan::git {

ProblemSink::ProblemSink(ScanSink& sink, std::size_t named_limit) : sink_(sink), limit_(named_limit) {}

void ProblemSink::object_problem(const std::string& object, const std::string& message) {
  {
    std::lock_guard lock(mutex_);
    if (++count_ > limit_) return;
  }
  sink_.add_issue(ScanIssue{ScanIssue::Kind::incomplete, object, message});
}

void ProblemSink::flush() {
  std::lock_guard lock(mutex_);
  if (count_ > limit_)
    sink_.add_issue(ScanIssue{ScanIssue::Kind::incomplete, "",
                                 fmt::format("{} more objects could not be read and were not scanned", count_ - limit_)});
  limit_ = std::max(count_, limit_);  // a second flush adds nothing
}

std::size_t ProblemSink::count() {
  std::lock_guard lock(mutex_);
  return count_;
}

std::function<bool(std::string_view)> make_excluded(const GlobSet& patterns) {
  if (patterns.empty()) return {};
  return [patterns](std::string_view path) { return patterns.matches(path); };
}

ChangeOptions change_options(const Scanner& scanner, ProblemSink& problems,
                             const GlobSet& exclude) {
  ChangeOptions options;
  options.max_file_size = scanner.limits().max_file_size;
  options.excluded = make_excluded(exclude);
  options.problem = [&problems](const std::string& object, const std::string& message) {
    problems.object_problem(object, message);
  };
  return options;
}

OdbObject read_for_scan(const Scanner& scanner, ScanSink& sink, ProblemSink& problems, BlobReader& reader, const git_oid& oid,
                        const std::string& path) {
  BlobReader::Result result = reader.read(oid, scanner.limits().max_file_size);
  const std::string where = path.empty() ? to_hex(oid) : fmt::format("{} (blob {})", path, to_hex(oid));
  switch (result.status) {
    case BlobReader::Status::ok:
      return std::move(result.object);
    case BlobReader::Status::missing:
      problems.object_problem(to_hex(oid), fmt::format("missing blob{}: not scanned", path.empty() ? "" : " " + path));
      return nullptr;
    case BlobReader::Status::corrupt:
      problems.object_problem(to_hex(oid), fmt::format("unreadable blob{}: {}; not scanned",
                                                       path.empty() ? "" : " " + path, result.error));
      return nullptr;
    case BlobReader::Status::too_big:
      sink.count_skipped();
      // Same rule as for files: content skipped for size makes the scan incomplete.
      sink.add_issue(ScanIssue{ScanIssue::Kind::incomplete, where,
                                  fmt::format("skipped: {} bytes is larger than --max-file-size ({} bytes)",
                                              result.size, scanner.limits().max_file_size)});
      return nullptr;
    case BlobReader::Status::not_blob:
      // Every job comes from a tree entry or a type check, so this is damage
      // (e.g. an overwritten pack entry header), not something to skip quietly.
      problems.object_problem(to_hex(oid), fmt::format("object{} should be a blob but is not (corrupt?): not scanned",
                                                       path.empty() ? "" : " at " + path));
      return nullptr;
  }
  return nullptr;
}

ChangeScanner::ChangeScanner(const Scanner& scanner, ScanSink& sink, ProblemSink& problems, const std::string& repository_path,
                             unsigned threads, SourceKind kind)
    : scanner_(scanner),
      sink_(sink),
      problems_(problems),
      kind_(kind),
      pool_(repository_path, threads,
            [this](unsigned worker, BlobReader& reader, BlobJob& job) { work(worker, reader, job); }) {}

void ChangeScanner::submit(std::uint64_t order, ChangedBlob change) {
  BlobJob job;
  job.oid = change.blob;
  job.path = change.path;
  {
    std::lock_guard lock(mutex_);
    job.tag = pending_.size();
    pending_.push_back({order, std::make_shared<const ChangedBlob>(std::move(change))});
  }
  pool_.submit(std::move(job));
}

void ChangeScanner::work(unsigned worker, BlobReader& reader, BlobJob& job) {
  Pending pending;
  {
    std::lock_guard lock(mutex_);
    pending = std::move(pending_[job.tag]);
  }
  const ChangedBlob& change = *pending.change;
  OdbObject object = read_for_scan(scanner_, sink_, problems_, reader, change.blob, change.path);
  if (!object) return;
  Chunk chunk;
  chunk.data = {static_cast<const char*>(git_odb_object_data(object.get())), git_odb_object_size(object.get())};
  chunk.provenance.kind = kind_;
  chunk.provenance.path = change.path;
  chunk.provenance.blob = to_hex(change.blob);
  std::vector<Finding> findings = scan_counted(scanner_, sink_, worker, chunk);
  object.reset();
  // A credential written across lines (a split string literal) is added
  // when any of its lines is: a change to its last part makes a new secret.
  std::erase_if(findings, [&](const Finding& f) {
    for (std::uint64_t line = f.location.line; line <= std::max(f.location.line, f.location.end_line); ++line)
      if (change.lines.contains(line)) return false;
    return true;
  });
  if (findings.empty()) return;

  if (change.binary && !change.old_blobs.empty()) {
    // A binary file has no lines to compare: a secret is new when no old
    // version of the file already contained it.
    std::unordered_set<std::string> old_fingerprints;
    for (const git_oid& old : change.old_blobs) {
      BlobReader::Result previous = reader.read(old, scanner_.limits().max_file_size);
      if (previous.status != BlobReader::Status::ok) continue;
      Chunk old_chunk;
      old_chunk.data = previous.data();
      old_chunk.provenance = chunk.provenance;
      for (const Finding& f : scan_counted(scanner_, sink_, worker, old_chunk)) old_fingerprints.insert(f.fingerprint);
    }
    std::erase_if(findings, [&](const Finding& f) { return old_fingerprints.contains(f.fingerprint); });
    if (findings.empty()) return;
  }
  std::lock_guard lock(mutex_);
  results_.push_back({pending.order, std::move(findings)});
}

std::vector<ChangeScanner::Result> ChangeScanner::finish() {
  pool_.finish();
  std::lock_guard lock(mutex_);
  pending_.clear();
  return std::move(results_);
}

}  // namespace sentryscan::git
