#pragma once

#include <chrono>
#include <optional>
#include <utility>

namespace portal::http {

// Where a client connection stands, as the server's connection limit and watchdog see it.
// Server::Impl keeps one per connection (guarded by the connection's mutex).
struct ConnectionState {
  using Clock = std::chrono::steady_clock;

  bool busy = false;              // a request of this connection is being answered
  unsigned writes_in_flight = 0;  // answers handed to the transport, not yet all written
  bool closing = false;           // answered with Connection: close; input is ignored
  bool disconnected = false;      // the peer went; the descriptor may be closed
  bool partial = false;           // the start of a request has waited since partial_since
  bool linger_armed = false;      // closing: the answer is written, close_deadline is set
  bool evicted = false;           // closed to make room for a newer connection
  Clock::time_point partial_since, last_activity, close_deadline;
};

// The order in which connections give way when a new one comes beyond the limit, lowest
// first: one that has its answer and only lingers (0), then an idle keep-alive one (1), then
// the slowest unfinished request (2), the longest waiting first within each. nullopt for one
// that must not be closed to make room: a request being answered, an answer still being
// written (closing it would cut the answer off; pipelined answers may be several), or one
// already gone or going. (A write that stalls is still ended by the server's watchdog after
// its idle limits: the only end of a client that never reads.)
using EvictionRank = std::pair<int, ConnectionState::Clock::time_point>;
std::optional<EvictionRank> evictionRank(const ConnectionState& c);

}  // namespace portal::http
