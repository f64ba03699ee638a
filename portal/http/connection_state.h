#pragma once

#include <chrono>
#include <optional>
#include <utility>

namespace portal::http {

// Where a client connection stands, as the server's connection limit and watchdog see it.
// Server::Impl keeps one per connection (guarded by the connection's mutex).
struct ConnectionState {
  using Clock = std::chrono::steady_clock;

  bool busy = false;           // a request of this connection is being answered
  bool writing = false;        // an answer is handed to the transport and not yet all written
  bool closing = false;        // answered with Connection: close; input is ignored
  bool disconnected = false;   // the peer went; the descriptor may be closed
  bool partial = false;        // the start of a request has waited since partial_since
  bool linger_armed = false;   // closing: the answer is written, close_deadline is set
  bool evicted = false;        // closed to make room for a newer connection
  Clock::time_point partial_since, last_activity, close_deadline;
};

// The order in which connections give way when a new one comes beyond the limit, lowest
// first: one that has its answer and only lingers (0), then an idle keep-alive one (1), then
// the slowest unfinished request (2), the longest waiting first within each. nullopt for one
// that must not be closed: a request being answered, an answer still being written (closing
// it would cut the answer off), or one already gone or going.
using EvictionRank = std::pair<int, ConnectionState::Clock::time_point>;
std::optional<EvictionRank> evictionRank(const ConnectionState& c);

}  // namespace portal::http
