#include "db/pool.h"

#include <algorithm>
#include <cstdio>

namespace db {

namespace {
thread_local bool acquire_forbidden = false;
#ifdef NDEBUG
constexpr bool kCheckNesting = false;
#else
constexpr bool kCheckNesting = true;
#endif
}

void forbidAcquireOnThisThread(bool forbidden) { acquire_forbidden = forbidden; }
bool acquireForbiddenOnThisThread() { return acquire_forbidden; }

Lease::~Lease() {
  if (pool_ && conn_) pool_->release(std::move(conn_), holder_);
}

Pool::Pool(Options options) : options_(std::move(options)) {}

Pool::~Pool() = default;

Lease Pool::acquire() {
  if (acquire_forbidden) {
    throw DbError("database access on a thread that must not block (an HTTP reactor thread)",
                  DbError::kWrongThread);
  }
  const std::thread::id me = kCheckNesting ? std::this_thread::get_id() : std::thread::id();
  std::unique_ptr<Connection> conn;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (kCheckNesting && std::find(holders_.begin(), holders_.end(), me) != holders_.end()) {
      std::fprintf(stderr, "db::Pool: NESTED ACQUIRE refused: this thread already holds a "
                           "connection of this pool\n");
      throw DbError("a second connection asked for on a thread that already holds one of this pool",
                    DbError::kNestedAcquire);
    }
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.acquire_timeout_ms);
    while (idle_.empty() && open_ >= options_.pool_size) {
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.pool_size) {
        ++waits_timed_out_;
        throw DbError("connection pool exhausted", DbError::kPoolExhausted);
      }
    }
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    if (!conn) ++open_;  // reserve the slot for the connection about to be opened
    ++in_use_;
    if (kCheckNesting) holders_.push_back(me);
  }
  try {
    if (conn) {
      conn->ensureAlive();
    } else {
      conn = std::make_unique<Connection>(options_);
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mu_);
    --open_;  // the reused or new connection is gone either way
    --in_use_;
    forget(me);
    cv_.notify_one();
    throw;
  }
  return Lease(this, std::move(conn), me);
}

// Under mu_.
void Pool::forget(std::thread::id holder) {
  if (!kCheckNesting) return;
  const auto it = std::find(holders_.begin(), holders_.end(), holder);
  if (it != holders_.end()) holders_.erase(it);
}

void Pool::release(std::unique_ptr<Connection> conn, std::thread::id holder) {
  std::lock_guard<std::mutex> lock(mu_);
  --in_use_;
  forget(holder);
  if (conn->healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;  // dropped; the next acquire opens a fresh one
  }
  cv_.notify_one();
}

PoolStats Pool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return PoolStats{open_, in_use_, options_.pool_size, waits_timed_out_};
}

}  // namespace db
