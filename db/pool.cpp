#include "db/pool.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace db {

namespace {
thread_local bool acquire_forbidden = false;
#ifdef NDEBUG
constexpr bool kCheckNesting = false;
#else
constexpr bool kCheckNesting = true;
#endif

// How Connection::endpoint() names the server of `o`.
std::string endpointName(const Options& o) {
  return o.socket.empty() ? o.host + ":" + std::to_string(o.port) : o.socket;
}
}  // namespace

void forbidAcquireOnThisThread(bool forbidden) { acquire_forbidden = forbidden; }
bool acquireForbiddenOnThisThread() { return acquire_forbidden; }

Lease::~Lease() {
  if (pool_ && conn_) pool_->release(std::move(conn_), holder_);
}

Pool::Pool(Options options) : options_(std::move(options)) {
  for (const std::string& h : options_.hosts) {
    Options o = options_;
    if (!h.empty() && h[0] == '/') {
      o.socket = h;  // a unix socket (a node on this machine)
    } else {
      const auto colon = h.rfind(':');
      o.socket.clear();
      o.host = h.substr(0, colon);
      o.port = colon == std::string::npos ? 3306 : std::stoi(h.substr(colon + 1));
    }
    endpoints_.push_back(std::move(o));
  }
  if (endpoints_.empty()) endpoints_.push_back(options_);
}

std::unique_ptr<Connection> Pool::open() {
  std::size_t start;
  {
    std::lock_guard<std::mutex> lock(mu_);
    start = current_;
  }
  std::optional<DbError> last;
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    const std::size_t at = (start + i) % endpoints_.size();
    try {
      auto conn = std::make_unique<Connection>(endpoints_[at]);
      if (at != start) {
        std::lock_guard<std::mutex> lock(mu_);
        if (current_ == start) {
          current_ = at;
          ++failovers_;
          std::fprintf(stderr, "db: %s does not answer; connections move to %s\n",
                       endpointName(endpoints_[start]).c_str(), conn->endpoint().c_str());
        }
      }
      return conn;
    } catch (const DbError& e) {
      last = e;
    }
  }
  throw *last;
}

Pool::~Pool() = default;

bool Pool::checkFailback() {
  std::size_t upto;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (current_ == 0) return false;
    upto = current_;
  }
  for (std::size_t i = 0; i < upto; ++i) {
    try {
      Connection probe(endpoints_[i]);  // refuses a node that is not synced (wsrep_ready)
      std::lock_guard<std::mutex> lock(mu_);
      if (current_ != upto) return false;  // a failover moved the pool meanwhile
      current_ = i;
      ++failovers_;
      std::fprintf(stderr, "db: %s answers again; connections move back to it\n",
                   probe.endpoint().c_str());
      return true;
    } catch (const DbError&) {
      // Still down or still joining: stay where we are.
    }
  }
  return false;
}

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
    if (conn && endpoints_.size() > 1) {
      std::string current;
      {
        std::lock_guard<std::mutex> lock(mu_);
        current = endpointName(endpoints_[current_]);
      }
      // Left over from the node the pool moved away from: one writer at a time.
      if (conn->endpoint() != current) conn.reset();
    }
    if (conn) {
      try {
        conn->ensureAlive(/*trust_recent=*/endpoints_.size() == 1);
      } catch (const DbError&) {
        if (endpoints_.size() == 1) throw;
        conn = open();  // this node is gone: the next one
      }
    } else {
      conn = open();
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
  return PoolStats{open_,           in_use_,
                   options_.pool_size, waits_timed_out_,
                   endpointName(endpoints_[current_]), failovers_};
}

}  // namespace db
