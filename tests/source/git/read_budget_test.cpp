// ReadBudget: what keeps big blobs from being rebuilt by every worker at once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "source/git/blob_pool.h"

namespace sentryscan::git {
namespace {

using namespace std::chrono_literals;

// Starts a thread that acquires `bytes`, and says whether it got them within `wait`.
bool acquires_within(ReadBudget& budget, std::uint64_t bytes, std::chrono::milliseconds wait, std::thread& thread,
                     std::atomic<bool>& got) {
  thread = std::thread([&budget, bytes, &got] {
    budget.acquire(bytes);
    got = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (!got && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  return got;
}

TEST(ReadBudget, WaitsUntilEnoughIsReleased) {
  ReadBudget budget(100);
  budget.acquire(60);
  std::thread waiter;
  std::atomic<bool> got{false};
  EXPECT_FALSE(acquires_within(budget, 50, 100ms, waiter, got));  // 60 + 50 > 100
  budget.release(60);
  waiter.join();
  EXPECT_TRUE(got);
  budget.release(50);
}

TEST(ReadBudget, ARequestLargerThanTheBudgetRunsAlone) {
  ReadBudget budget(100);
  budget.acquire(10);
  std::thread waiter;
  std::atomic<bool> got{false};
  EXPECT_FALSE(acquires_within(budget, 500, 100ms, waiter, got));  // never fits beside anything
  budget.release(10);
  waiter.join();
  EXPECT_TRUE(got);  // ...but runs once nothing else is held
  std::thread second;
  std::atomic<bool> second_got{false};
  EXPECT_FALSE(acquires_within(budget, 1, 100ms, second, second_got));  // and holds the rest back
  budget.release(500);
  second.join();
  EXPECT_TRUE(second_got);
  budget.release(1);
}

}  // namespace
}  // namespace sentryscan::git
