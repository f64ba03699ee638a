#include "base/background_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <stdexcept>
#include <thread>

namespace base {
namespace {

using namespace std::chrono_literals;

// Waits up to two seconds for `done`.
template <typename F>
bool eventually(F done) {
  const auto until = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return done();
}

BackgroundLoopOptions fast(bool run_at_start = true) {
  BackgroundLoopOptions o;
  o.name = "test loop";
  o.period = 5ms;
  o.max_backoff = 20ms;
  o.run_at_start = run_at_start;
  return o;
}

// The SMS dispatcher's loop used to catch db::DbError only: a std::regex_error from the
// generic gateway's message-id rule ended the whole portal (std::terminate).
TEST(BackgroundLoop, WhateverTheBodyThrowsTheLoopRunsAgain) {
  std::atomic<int> calls{0};
  BackgroundLoop loop(fast(), [&]() -> bool {
    switch (calls++) {
      case 0: throw std::regex_error(std::regex_constants::error_complexity);
      case 1: throw std::runtime_error("database away");
      case 2: throw 42;  // not a std::exception
      default: return false;
    }
  });
  loop.start();
  ASSERT_TRUE(eventually([&] { return calls >= 5; }));
  loop.stop();
  EXPECT_EQ(loop.failures(), 3u);
  EXPECT_GE(loop.runs(), 5u);
  EXPECT_EQ(loop.lastError(), "");  // the later runs succeeded
}

TEST(BackgroundLoop, LastErrorSaysWhatTheLastRunThrew) {
  std::atomic<int> calls{0};
  BackgroundLoop loop(fast(), [&]() -> bool {
    ++calls;
    throw std::runtime_error("index unreadable");
  });
  loop.start();
  ASSERT_TRUE(eventually([&] { return calls >= 2; }));
  loop.stop();
  EXPECT_EQ(loop.lastError(), "index unreadable");
}

TEST(BackgroundLoop, RepeatedFailuresBackOffUpToTheCap) {
  BackgroundLoopOptions o;
  o.period = 250ms;
  o.max_backoff = 2s;
  EXPECT_EQ(BackgroundLoop::waitAfter(o, 0), 250ms);
  EXPECT_EQ(BackgroundLoop::waitAfter(o, 1), 250ms);
  EXPECT_EQ(BackgroundLoop::waitAfter(o, 2), 500ms);
  EXPECT_EQ(BackgroundLoop::waitAfter(o, 4), 2s);
  EXPECT_EQ(BackgroundLoop::waitAfter(o, 40), 2s);
  o.period = std::chrono::hours(1);  // a backoff never shortens the period
  EXPECT_EQ(BackgroundLoop::waitAfter(o, 3), std::chrono::hours(1));
}

TEST(BackgroundLoop, WakeRunsAtOnceAndFirstRunWaitsWhenAsked) {
  std::atomic<int> calls{0};
  BackgroundLoopOptions o = fast(/*run_at_start=*/false);
  o.period = std::chrono::hours(1);
  BackgroundLoop loop(o, [&] {
    ++calls;
    return false;
  });
  loop.start();
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(calls, 0);
  loop.wake();
  EXPECT_TRUE(eventually([&] { return calls == 1; }));
  loop.stop();  // does not wait for the hour
}

TEST(BackgroundLoop, AFullBatchRunsAgainWithoutWaiting) {
  std::atomic<int> calls{0};
  BackgroundLoopOptions o = fast();
  o.period = std::chrono::hours(1);
  BackgroundLoop loop(o, [&] { return ++calls < 5; });
  loop.start();
  EXPECT_TRUE(eventually([&] { return calls == 5; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(calls, 5);
  loop.stop();
}

TEST(BackgroundLoop, StopsAndStartsAgain) {
  std::atomic<int> calls{0};
  BackgroundLoop loop(fast(), [&] {
    ++calls;
    return false;
  });
  loop.start();
  loop.start();  // idempotent
  ASSERT_TRUE(eventually([&] { return calls >= 1; }));
  loop.stop();
  loop.stop();
  const int after_stop = calls;
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(calls, after_stop);
  loop.start();
  EXPECT_TRUE(eventually([&] { return calls > after_stop; }));
}

}  // namespace
}  // namespace base
