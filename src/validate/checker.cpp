#include "validate/checker.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <deque>
#include <map>
#include <memory>
#include <unordered_map>

#include "core/secret_hash.h"
#include "validate/answer.h"
#include "validate/cache.h"
#include "validate/transfer.h"

namespace sentryscan::validate {
namespace {

using Clock = std::chrono::steady_clock;

struct Job {
  std::size_t slot = 0;  // index into the distinct secrets
  RequestTarget target;
  unsigned attempts = 0;
  Clock::time_point not_before{};
};

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

// Defence in depth: whatever a library or server put into a detail, the
// secret itself never leaves this function.
std::string scrub(std::string detail, const std::string& secret) {
  if (secret.empty()) return detail;
  const std::string masked = redact(secret);
  for (auto at = detail.find(secret); at != std::string::npos; at = detail.find(secret, at + masked.size()))
    detail.replace(at, secret.size(), masked);
  return detail;
}

class Driver {
  struct Active {
    Job job;
    std::unique_ptr<Transfer> transfer;
  };

 public:
  Driver(const std::vector<const Credential*>& secrets, const ValidationSettings& settings,
         std::vector<Validation>& results)
      : secrets_(secrets), settings_(settings), results_(results), budget_(settings.max_requests) {}

  void enqueue(std::size_t slot, RequestTarget target) { ready_.push_back(Job{slot, std::move(target)}); }

  void run() {
    while (!ready_.empty() || !waiting_.empty() || !active_.empty()) {
      promote_due_retries();
      start_ready();
      if (active_.empty() && ready_.empty() && waiting_.empty()) break;
      int running = 0;
      curl_multi_perform(multi_.get(), &running);
      if (collect_finished() > 0) continue;  // free slots: start more before waiting
      curl_multi_poll(multi_.get(), nullptr, 0, poll_timeout_ms(), nullptr);
    }
  }

  std::size_t requests() const { return settings_.max_requests - budget_; }
  bool budget_exhausted() const { return budget_hit_; }

 private:
  void promote_due_retries() {
    const auto now = Clock::now();
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (it->not_before <= now) {
        ready_.push_back(std::move(*it));
        it = waiting_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void start_ready() {
    while (active_.size() < settings_.concurrency && !ready_.empty()) {
      Job job = std::move(ready_.front());
      ready_.pop_front();
      if (budget_ == 0) {
        budget_hit_ = true;
        finish(job, Validation{ValidationStatus::unknown, 0,
                               fmt::format("not checked: the request budget of {} was used up (--validate-max-requests)",
                                           settings_.max_requests)});
        continue;
      }
      --budget_;
      ++job.attempts;
      auto transfer = std::make_unique<Transfer>(multi_.get(), job.target, secrets_[job.slot]->secret, settings_);
      CURL* easy = transfer->easy();
      active_.emplace(easy, Active{std::move(job), std::move(transfer)});
    }
  }

  std::size_t collect_finished() {
    std::size_t finished = 0;
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      const auto it = active_.find(message->easy_handle);
      if (it == active_.end()) continue;
      const CURLcode code = message->data.result;
      Active active = std::move(it->second);
      active_.erase(it);
      settle(std::move(active), code);
      ++finished;
    }
    return finished;
  }

  void settle(Active active, CURLcode code) {
    Job& job = active.job;
    if (code != CURLE_OK) return finish(job, active.transfer->failure(code));
    const HttpAnswer answer = active.transfer->answer();
    active.transfer.reset();  // frees the connection slot before a retry waits
    AnswerMeaning meaning = interpret_answer(job.target.auth, answer, job.target.base);
    if (!meaning.rate_limited) return finish(job, meaning.validation);

    const auto asked = retry_delay_seconds(answer, std::time(nullptr));
    const double delay = asked.value_or(settings_.default_retry_wait_seconds * (1u << (job.attempts - 1)));
    Validation& v = meaning.validation;
    if (job.attempts > settings_.max_retries) {
      v.detail += fmt::format("; gave up after {} attempts", job.attempts);
      return finish(job, v);
    }
    if (delay > settings_.max_retry_wait_seconds) {
      v.detail += fmt::format("; it asked to wait {:.0f} s, more than the {:.0f} s this run waits", delay,
                              settings_.max_retry_wait_seconds);
      return finish(job, v);
    }
    job.not_before = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(delay));
    waiting_.push_back(std::move(job));
  }

  void finish(const Job& job, Validation validation) {
    validation.detail = scrub(std::move(validation.detail), secrets_[job.slot]->secret);
    results_[job.slot] = std::move(validation);
  }

  int poll_timeout_ms() const {
    int timeout = 250;
    const auto now = Clock::now();
    for (const auto& job : waiting_) {
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(job.not_before - now).count();
      timeout = std::min<int>(timeout, static_cast<int>(std::max<long long>(wait, 0) + 1));
    }
    return timeout;
  }

  const std::vector<const Credential*>& secrets_;
  const ValidationSettings& settings_;
  std::vector<Validation>& results_;
  // The multi handle outlives every transfer, which removes itself from it.
  MultiHandle multi_;
  std::deque<Job> ready_;
  std::vector<Job> waiting_;
  std::map<CURL*, Active> active_;
  unsigned budget_;
  bool budget_hit_ = false;
};

}  // namespace

std::vector<Validation> check_credentials(const std::vector<Credential>& credentials,
                                          const ValidationSettings& settings, std::vector<ScanIssue>& issues,
                                          CheckStats* stats) {
  // Distinct secrets, first occurrence wins (the rule and payload follow from the secret).
  std::vector<const Credential*> secrets;
  std::vector<std::size_t> slot_of(credentials.size());
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t i = 0; i < credentials.size(); ++i) {
    const auto [it, inserted] = seen.emplace(credentials[i].secret, secrets.size());
    if (inserted) secrets.push_back(&credentials[i]);
    slot_of[i] = it->second;
  }

  ValidationCache cache;
  if (!settings.cache_file.empty()) {
    cache = ValidationCache(settings.cache_file, settings.cache_ttl_hours * 3600.0);
    if (auto warning = cache.load(unix_now()); !warning.empty())
      issues.push_back({ScanIssue::Kind::warning, settings.cache_file, std::move(warning)});
  }

  std::vector<Validation> distinct_results(secrets.size());
  std::vector<std::string> hashes(secrets.size());
  std::vector<std::string> bases(secrets.size());
  Driver driver(secrets, settings, distinct_results);
  std::size_t cache_hits = 0;
  for (std::size_t slot = 0; slot < secrets.size(); ++slot) {
    const Credential& credential = *secrets[slot];
    RouteDecision route = route_credential(credential.rule_id, credential.token, settings.routing);
    if (!route.target) {
      distinct_results[slot] = Validation{ValidationStatus::skipped, 0, scrub(route.skip_reason, credential.secret)};
      continue;
    }
    hashes[slot] = sha256_hex(credential.secret);
    bases[slot] = route.target->base;
    if (auto cached = cache.lookup(hashes[slot], bases[slot], unix_now())) {
      distinct_results[slot] = std::move(*cached);
      hashes[slot].clear();  // already cached: storing it again would stretch its TTL
      ++cache_hits;
      continue;
    }
    driver.enqueue(slot, std::move(*route.target));
  }
  driver.run();

  if (driver.budget_exhausted())
    issues.push_back({ScanIssue::Kind::warning, "",
                      fmt::format("validation stopped after {} requests (--validate-max-requests); the remaining "
                                  "credentials are 'unknown'",
                                  settings.max_requests)});
  if (!settings.cache_file.empty()) {
    for (std::size_t slot = 0; slot < secrets.size(); ++slot)
      if (!hashes[slot].empty()) cache.store(hashes[slot], bases[slot], distinct_results[slot], unix_now());
    if (auto warning = cache.save(unix_now()); !warning.empty())
      issues.push_back({ScanIssue::Kind::warning, settings.cache_file, std::move(warning)});
  }
  if (stats) *stats = CheckStats{secrets.size(), driver.requests(), cache_hits};

  std::vector<Validation> results(credentials.size());
  for (std::size_t i = 0; i < credentials.size(); ++i) results[i] = distinct_results[slot_of[i]];
  return results;
}

}  // namespace sentryscan::validate
