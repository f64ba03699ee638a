#include "portal/accounts/login_attempt_store.h"

#include "portal/accounts/sql_time.h"

namespace portal::accounts {

namespace {
std::string outcomeCode(AttemptOutcome o) {
  switch (o) {
    case AttemptOutcome::Pending:
      return "pending";
    case AttemptOutcome::Failed:
      return "failed";
    case AttemptOutcome::Succeeded:
      return "succeeded";
    case AttemptOutcome::Refused:
      return "refused";
  }
  return "failed";
}

std::vector<TimePoint> times(db::Rows r) {
  std::vector<TimePoint> out;
  while (r.next()) out.push_back(fromSqlBeijing(r.str("at")));
  return out;
}
}  // namespace

std::int64_t LoginAttemptStore::begin(const std::string& username, const std::string& remote_addr,
                                      TimePoint at) {
  conn_.execute(
      "INSERT INTO login_attempts (at, username, remote_addr, outcome) VALUES (?, ?, ?, ?)",
      toSqlBeijing(at), username, remote_addr, outcomeCode(AttemptOutcome::Pending));
  return static_cast<std::int64_t>(conn_.lastInsertId());
}

void LoginAttemptStore::finish(std::int64_t id, AttemptOutcome outcome) {
  conn_.execute("UPDATE login_attempts SET outcome = ? WHERE id = ?", outcomeCode(outcome), id);
}

std::vector<TimePoint> LoginAttemptStore::failuresForUsername(const std::string& username,
                                                              TimePoint since,
                                                              std::int64_t before_id) {
  return times(conn_.query(
      "SELECT at FROM login_attempts WHERE username = ? AND at > ? AND id < ? "
      "AND outcome IN ('pending', 'failed') AND id > COALESCE((SELECT MAX(s.id) FROM "
      "login_attempts s WHERE s.username = ? AND s.outcome = 'succeeded' AND s.id < ?), 0) "
      "ORDER BY at, id",
      username, toSqlBeijing(since), before_id, username, before_id));
}

std::vector<TimePoint> LoginAttemptStore::failuresForUsernameFrom(const std::string& username,
                                                                  const std::string& remote_addr,
                                                                  TimePoint since,
                                                                  std::int64_t before_id) {
  return times(conn_.query(
      "SELECT at FROM login_attempts WHERE username = ? AND remote_addr = ? AND at > ? "
      "AND id < ? AND outcome IN ('pending', 'failed') AND id > COALESCE((SELECT MAX(s.id) FROM "
      "login_attempts s WHERE s.username = ? AND s.remote_addr = ? AND s.outcome = 'succeeded' "
      "AND s.id < ?), 0) ORDER BY at, id",
      username, remote_addr, toSqlBeijing(since), before_id, username, remote_addr, before_id));
}

std::vector<TimePoint> LoginAttemptStore::failuresFromAddress(const std::string& remote_addr,
                                                              TimePoint since,
                                                              std::int64_t before_id) {
  return times(
      conn_.query("SELECT at FROM login_attempts WHERE remote_addr = ? AND at > ? AND id < ? "
                  "AND outcome IN ('pending', 'failed') ORDER BY at, id",
                  remote_addr, toSqlBeijing(since), before_id));
}

std::uint64_t LoginAttemptStore::removeOlderThan(TimePoint before) {
  return conn_.execute("DELETE FROM login_attempts WHERE at < ?", toSqlBeijing(before));
}

}  // namespace portal::accounts
