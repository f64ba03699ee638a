#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace portal::http {

// A fixed set of threads draining a bounded queue. Thread safe. trySubmit() refuses instead of
// blocking when the queue is full, so the caller can answer 503 at once. stop() lets queued
// jobs finish, then joins.
class WorkerPool {
 public:
  WorkerPool(int threads, std::size_t queue_limit);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool trySubmit(std::function<void()> job);
  void stop();
  std::size_t queued() const;
  int busy() const;

 private:
  void run();

  const std::size_t queue_limit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  int busy_ = 0;
  bool stopping_ = false;
};

}  // namespace portal::http
