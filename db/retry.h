#pragma once

#include <chrono>
#include <functional>
#include <thread>
#include <utility>

#include "db/error.h"

namespace db {

// What a failed attempt may be retried on. Each attempt must borrow its own connection and
// run its own transaction (the failed one was rolled back by the server).
enum class RetryOn {
  // The server rolled the transaction back and said so: deadlock (1213, also how Galera
  // reports a certification failure: another node committed a conflicting write first),
  // lock-wait timeout (1205), and a Galera node that is not (yet) part of the primary
  // component (1047 WSREP has not yet prepared node, refused before anything ran). Nothing
  // was written, so any transaction may run again.
  Conflicts,
  // Conflicts, and also a connection lost while the attempt ran (2006, 2013, ...) or a
  // database that could not be reached (connect failure, the write node dying). The
  // outcome of a lost COMMIT is unknown: only for writes that are idempotent by themselves
  // (complaint intake under its idempotency key, a counter whose double count is harmless),
  // never for one that would apply twice.
  ConflictsAndLostConnections,
};

struct RetryPolicy {
  RetryOn on = RetryOn::Conflicts;
  int max_attempts = 4;  // the first attempt included
  // Waited before the second attempt, doubled before each further one. With lost
  // connections the total (20+40+80+... ms) should outlast a failover to the next node.
  std::chrono::milliseconds first_delay{20};
  std::chrono::milliseconds max_delay{1000};
};

// True when `e` may be retried under `on` (the retry rules; unit tested).
bool isRetryable(const DbError& e, RetryOn on);

// The wait before attempt number `attempt` (2, 3, ...) under `policy`.
std::chrono::milliseconds retryDelay(const RetryPolicy& policy, int attempt);

// Runs `attempt()` and runs it again after a retryable DbError, up to policy.max_attempts
// times, sleeping retryDelay() between attempts; the last error is rethrown unchanged, and
// any other exception at once. `sleep` is for tests. Blocks the calling thread: never on an
// HTTP reactor thread (db::Pool refuses those anyway).
//
// Where it is used: complaint intake (ConflictsAndLostConnections: idempotent by its key);
// under Conflicts only, every staff write that runs in one transaction and decides afresh on
// what it reads — publishing a list item, approving a draft, saving a disclosure section,
// publishing a decision, every action on a complaint, a login's session. After a conflict the
// server rolled the attempt back, so the expected-version guard still sees the version the
// editor saw. A lost connection is NOT retried for these: had the COMMIT gone through, the
// second attempt would report the editor's own change as someone else's ("stale"), or append
// a second event and SMS; the person sees an error, reloads and sees what was saved.
// SMS dispatcher claims and sends are not retried either: the lease and the outbox state make
// a later pass pick a row up again, and a send must never be repeated by a retry loop.
template <typename F>
auto withRetry(F&& attempt, const RetryPolicy& policy = {},
               const std::function<void(std::chrono::milliseconds)>& sleep = {})
    -> decltype(attempt()) {
  for (int n = 1;; ++n) {
    try {
      return attempt();
    } catch (const DbError& e) {
      if (n >= policy.max_attempts || !isRetryable(e, policy.on)) throw;
      const auto delay = retryDelay(policy, n + 1);
      if (sleep) {
        sleep(delay);
      } else {
        std::this_thread::sleep_for(delay);
      }
    }
  }
}

}  // namespace db
