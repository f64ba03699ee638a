#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/connection.h"
#include "db/options.h"

namespace db {

class Pool;

// A connection borrowed from the pool, returned when the lease is destroyed. Move-only.
class Lease {
 public:
  // `holder`: the thread that acquired it (Pool's nested-acquire check).
  Lease(Pool* pool, std::unique_ptr<Connection> conn, std::thread::id holder = {})
      : pool_(pool), conn_(std::move(conn)), holder_(holder) {}
  Lease(Lease&&) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Connection> conn_;
  std::thread::id holder_;
};

struct PoolStats {
  int size = 0;      // connections open
  int in_use = 0;    // leased now
  int capacity = 0;  // Options::pool_size
  long long waits_timed_out = 0;
  std::string endpoint;    // the server connections go to now ("host:port" or socket)
  long long failovers = 0;  // times the pool moved to the next of Options::hosts
};

// Marks the calling thread as one that must never wait for MariaDB (the HTTP server's reactor
// threads, which serve every connection of their share: one blocking query there stalls them
// all). From then on Pool::acquire() on this thread throws DbError(kWrongThread) at once.
// Thread-local; `forbidden` false lifts the mark.
void forbidAcquireOnThisThread(bool forbidden = true);
bool acquireForbiddenOnThisThread();

// A small fixed-capacity pool. Thread safe. Connections open lazily; a connection that lost
// its link is reconnected on the next acquire, so the pool recovers after MariaDB restarts
// without restarting the server. acquire() throws DbError when no connection frees up within
// Options::acquire_timeout_ms or MariaDB cannot be reached, and DbError(kWrongThread) on a
// thread marked by forbidAcquireOnThisThread(). In debug builds (no NDEBUG) it also refuses,
// with DbError(kNestedAcquire) and a line on stderr, a thread that already holds a lease of
// this pool: N requests that each hold one connection and wait for a second exhaust a pool of
// N and wait for each other until the timeout. Release the first lease, or pass its
// connection down.
//
// With Options::hosts (a Galera cluster), all connections go to one node, the current one;
// when a connection to it cannot be opened (the node died, or is not synced), the pool moves
// to the next host in the list, wrapping around, and connections to the old node are dropped
// as they come back. checkFailback() tries the hosts before the current one and moves back to
// the first that answers and is synced: every portal node writes to the first healthy host of
// the same list, so the cluster has one writer again after a rejoin. The owner calls it every
// Options::failback_check_ms from a background thread (the portal's App does), never on a
// request: a powered-off host costs each probe the connect timeout.
class Pool {
 public:
  explicit Pool(Options options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  Lease acquire();
  PoolStats stats() const;
  // With several hosts, after a failover: moves back to an earlier host that answers again
  // and is synced. Blocks up to the connect timeout per host tried. Returns true when it moved.
  bool checkFailback();
  const Options& options() const { return options_; }

 private:
  friend class Lease;
  void release(std::unique_ptr<Connection> conn, std::thread::id holder);
  void forget(std::thread::id holder);

  // A new connection to the current endpoint, else to the next ones in turn (moving
  // `current_` to the first that answers). Called without mu_ held.
  std::unique_ptr<Connection> open();

  Options options_;
  std::vector<Options> endpoints_;  // one per host, or options_ alone
  std::size_t current_ = 0;         // guarded by mu_
  long long failovers_ = 0;         // guarded by mu_
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
  int in_use_ = 0;
  long long waits_timed_out_ = 0;
  std::vector<std::thread::id> holders_;  // one entry per lease (debug builds only)
};

}  // namespace db
