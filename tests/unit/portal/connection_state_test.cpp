// Which connection gives way when a new one comes beyond server.max_connections. The rule
// behind a bug the bad-input corpus found: after a flood of idle connections, a normal request
// that had just been answered with Connection: close was closed before its answer was written
// (about one run in seven), as an answered connection is the first to give way.
#include "portal/http/connection_state.h"

#include <gtest/gtest.h>

namespace {

using portal::http::ConnectionState;
using portal::http::evictionRank;
using Clock = ConnectionState::Clock;

ConnectionState idleSince(Clock::time_point t) {
  ConnectionState c;
  c.last_activity = t;
  return c;
}

TEST(ConnectionLimit, AnAnswerStillBeingWrittenNeverGivesWayToANewConnection) {
  const auto t = Clock::now();
  ConnectionState answered_close = idleSince(t);
  answered_close.closing = true;        // answered with Connection: close ...
  answered_close.writes_in_flight = 1;  // ... and the transport is still writing it
  EXPECT_FALSE(evictionRank(answered_close));
  ConnectionState answered_keep_alive = idleSince(t);
  answered_keep_alive.writes_in_flight = 1;
  EXPECT_FALSE(evictionRank(answered_keep_alive));

  // Two pipelined answers on their way: the first written still leaves the second.
  ConnectionState pipelined = idleSince(t);
  pipelined.writes_in_flight = 2;
  --pipelined.writes_in_flight;
  EXPECT_FALSE(evictionRank(pipelined));

  answered_close.writes_in_flight = 0;  // written: now it only lingers, and goes first
  answered_close.linger_armed = true;
  ASSERT_TRUE(evictionRank(answered_close));
  EXPECT_EQ(evictionRank(answered_close)->first, 0);
}

TEST(ConnectionLimit, ARequestBeingAnsweredOrAConnectionAlreadyGoingIsNeverChosen) {
  const auto t = Clock::now();
  ConnectionState busy = idleSince(t);
  busy.busy = true;
  EXPECT_FALSE(evictionRank(busy));
  ConnectionState evicted = idleSince(t);
  evicted.evicted = true;
  EXPECT_FALSE(evictionRank(evicted));
  ConnectionState gone = idleSince(t);
  gone.disconnected = true;
  EXPECT_FALSE(evictionRank(gone));
}

TEST(ConnectionLimit, LingeringGoesBeforeIdleAndIdleBeforeASlowRequestTheLongestWaitingFirst) {
  const auto t = Clock::now();
  ConnectionState lingering = idleSince(t);
  lingering.closing = true;
  lingering.linger_armed = true;
  const ConnectionState idle_old = idleSince(t - std::chrono::seconds(30));
  const ConnectionState idle_new = idleSince(t);
  ConnectionState slow = idleSince(t - std::chrono::seconds(60));
  slow.partial = true;
  slow.partial_since = t - std::chrono::seconds(60);

  EXPECT_LT(*evictionRank(lingering), *evictionRank(idle_old));
  EXPECT_LT(*evictionRank(idle_old), *evictionRank(idle_new));
  EXPECT_LT(*evictionRank(idle_new), *evictionRank(slow));
}

}  // namespace
