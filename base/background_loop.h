#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace base {

struct BackgroundLoopOptions {
  // For the log lines ("NAME: ..."). REQUIRES: not empty.
  std::string name;
  // The wait between two runs when nobody calls wake(). REQUIRES: > 0.
  std::chrono::milliseconds period{1000};
  // After n failed runs in a row the wait is period * 2^(n-1), capped at max(period,
  // max_backoff): a database or index that is away is not hammered every period.
  std::chrono::milliseconds max_backoff{std::chrono::seconds(30)};
  // Whether the first run happens at start() (true) or one period later (false).
  bool run_at_start = true;
};

// One thread that runs `body` every period, at once after wake(), until stop(). The one
// failure policy of the portal's background work (housekeeping, the index feeder, the SMS
// dispatcher, the zero-hit counter): whatever the body throws, std::exception or not, is
// caught, logged to stderr (once per distinct message in a row, so a poll every 250 ms does
// not fill the log while MariaDB is down), and the loop backs off and runs again. Nothing a
// body throws ends the process.
//
// The body returns true when it knows more work is waiting (a full batch): it then runs
// again at once, without waiting.
//
// Thread safety: start()/stop() from one thread (the owner's); wake(), runs(), failures()
// and lastError() from any thread. The body runs on the loop's thread only, never twice at
// once. stop() waits for a run in progress to finish. The destructor stops.
class BackgroundLoop {
 public:
  using Body = std::function<bool()>;

  BackgroundLoop(BackgroundLoopOptions options, Body body);
  ~BackgroundLoop();
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  // Starts the thread. Idempotent; may be called again after stop().
  void start();
  // Asks for a run as soon as the current one (if any) ends, even during a back-off.
  void wake();
  // Ends the thread after the run in progress. Idempotent.
  void stop();

  // Runs finished since construction, successful or not.
  std::uint64_t runs() const;
  // Runs that threw, since construction.
  std::uint64_t failures() const;
  // What the last run threw; empty when it succeeded (or nothing ran yet).
  std::string lastError() const;

  // The wait after `failures_in_a_row` failed runs (0: period).
  static std::chrono::milliseconds waitAfter(const BackgroundLoopOptions& options,
                                             int failures_in_a_row);

 private:
  void run();

  const BackgroundLoopOptions options_;
  const Body body_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::uint64_t runs_ = 0;
  std::uint64_t failures_ = 0;
  std::string last_error_;
};

}  // namespace base
