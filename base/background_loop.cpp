#include "base/background_loop.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <utility>

namespace base {

BackgroundLoop::BackgroundLoop(BackgroundLoopOptions options, Body body)
    : options_(std::move(options)), body_(std::move(body)) {}

BackgroundLoop::~BackgroundLoop() { stop(); }

void BackgroundLoop::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  woken_ = options_.run_at_start;
  thread_ = std::thread([this] { run(); });
}

void BackgroundLoop::wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void BackgroundLoop::stop() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    thread.swap(thread_);
  }
  cv_.notify_all();
  if (thread.joinable()) thread.join();
}

std::uint64_t BackgroundLoop::runs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return runs_;
}

std::uint64_t BackgroundLoop::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

std::string BackgroundLoop::lastError() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

std::chrono::milliseconds BackgroundLoop::waitAfter(const BackgroundLoopOptions& o,
                                                    int failures_in_a_row) {
  const auto period = std::max(o.period, std::chrono::milliseconds(1));
  if (failures_in_a_row <= 0) return period;
  const auto cap = std::max(period, o.max_backoff);
  auto wait = period;
  for (int i = 1; i < failures_in_a_row && wait < cap; ++i) wait *= 2;
  return std::min(wait, cap);
}

void BackgroundLoop::run() {
  int failures_in_a_row = 0;
  bool again = false;  // the body said more is waiting
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!again) {
        cv_.wait_for(lock, waitAfter(options_, failures_in_a_row),
                     [this] { return stopping_ || woken_; });
      }
      if (stopping_) return;
      woken_ = false;
    }
    std::string error;
    again = false;
    try {
      again = body_();
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "exception without a message";
    } catch (...) {
      error = "an exception that is not a std::exception";
    }
    std::lock_guard<std::mutex> lock(mu_);
    ++runs_;
    if (error.empty()) {
      if (failures_in_a_row > 0) {
        std::fprintf(stderr, "%s: working again after %d failed runs\n", options_.name.c_str(),
                     failures_in_a_row);
      }
      failures_in_a_row = 0;
    } else {
      ++failures_;
      ++failures_in_a_row;
      if (error != last_error_) {
        std::fprintf(stderr, "%s: %s (tried again in %lld ms)\n", options_.name.c_str(),
                     error.c_str(),
                     static_cast<long long>(waitAfter(options_, failures_in_a_row).count()));
      }
    }
    last_error_ = error;
  }
}

}  // namespace base
