#include "hotline/sms_outbox_store.h"

namespace hotline {
namespace {

constexpr const char* kColumns =
    "id, complaint_id, event_id, event_kind, recipient, text, segments, state, attempts, "
    "attempt_base, DATE_FORMAT(next_attempt_at, '%Y-%m-%d %H:%i:%s') AS next_attempt_at, "
    "DATE_FORMAT(lease_until, '%Y-%m-%d %H:%i:%s') AS lease_until, last_error, gateway, "
    "gateway_message_id, dlr_token, dlr_status, "
    "DATE_FORMAT(dlr_at, '%Y-%m-%d %H:%i:%s') AS dlr_at, "
    "DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') AS created_at, "
    "DATE_FORMAT(sent_at, '%Y-%m-%d %H:%i:%s') AS sent_at, "
    "COALESCE(TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), retry_until) DIV 1000, 0) "
    "AS retry_left_ms ";

std::vector<SmsMessage> readMessages(db::Rows& r) {
  std::vector<SmsMessage> out;
  while (r.next()) {
    SmsMessage m;
    m.id = r.i64("id");
    m.complaint_id = r.i64("complaint_id");
    m.event_id = r.i64("event_id");
    m.event_kind = r.str("event_kind");
    m.recipient = r.str("recipient");
    m.text = r.str("text");
    m.segments = static_cast<int>(r.i64("segments"));
    m.state = parseSmsState(r.str("state")).value_or(SmsState::Failed);
    m.attempts = static_cast<int>(r.i64("attempts"));
    m.attempt_base = static_cast<int>(r.i64("attempt_base"));
    m.next_attempt_at = r.str("next_attempt_at");
    m.lease_until = r.str("lease_until");
    m.last_error = r.str("last_error");
    m.gateway = r.str("gateway");
    m.gateway_message_id = r.str("gateway_message_id");
    m.dlr_token = r.str("dlr_token");
    m.dlr_status = r.str("dlr_status");
    m.dlr_at = r.str("dlr_at");
    m.created_at = r.str("created_at");
    m.sent_at = r.str("sent_at");
    m.retry_left_ms = r.i64("retry_left_ms");
    out.push_back(std::move(m));
  }
  return out;
}

std::string sql(const char* head, const char* tail) { return std::string(head) + kColumns + tail; }

}  // namespace

std::string_view smsStateCode(SmsState state) {
  switch (state) {
    case SmsState::Queued:
      return "queued";
    case SmsState::Sending:
      return "sending";
    case SmsState::Sent:
      return "sent";
    case SmsState::Delivered:
      return "delivered";
    case SmsState::Failed:
      return "failed";
  }
  return "failed";
}

std::optional<SmsState> parseSmsState(std::string_view code) {
  for (SmsState s : {SmsState::Queued, SmsState::Sending, SmsState::Sent, SmsState::Delivered,
                     SmsState::Failed}) {
    if (smsStateCode(s) == code) return s;
  }
  return std::nullopt;
}

std::string_view smsStateName(SmsState state) {
  switch (state) {
    case SmsState::Queued:
      return "待发送";
    case SmsState::Sending:
      return "发送中";
    case SmsState::Sent:
      return "已提交网关";
    case SmsState::Delivered:
      return "已送达";
    case SmsState::Failed:
      return "发送失败";
  }
  return "发送失败";
}

void SmsOutboxStore::insert(const NewSmsMessage& m) {
  conn_.execute(
      "INSERT INTO sms_outbox (complaint_id, event_id, event_kind, recipient, text, segments, "
      "state, last_error, next_attempt_at, retry_until, dlr_token, created_at, created_on, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), "
      "UTC_TIMESTAMP(3) + INTERVAL ? SECOND, ?, ?, ?, UTC_TIMESTAMP(3))",
      m.complaint_id, m.event_id, m.event_kind, m.recipient, m.text, m.segments,
      std::string(smsStateCode(m.refused ? SmsState::Failed : SmsState::Queued)), m.refused,
      m.retry_window_s, m.dlr_token, m.created_at, m.created_on.toString());
}

void SmsOutboxStore::readCommittedForNextTransaction() {
  conn_.executeRaw("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
}

std::vector<SmsMessage> SmsOutboxStore::claimDue(int limit, int lease_ms) {
  // Two index-ordered scans rather than one OR: a locking read locks every row it reads, so
  // it must read only the rows it returns (no filesort over all due rows).
  db::Rows queued = conn_.query(
      sql("SELECT ",
          "FROM sms_outbox WHERE state = 'queued' AND next_attempt_at <= UTC_TIMESTAMP(3) "
          "ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED"),
      limit);
  std::vector<SmsMessage> claimed = readMessages(queued);
  if (static_cast<int>(claimed.size()) < limit) {
    db::Rows expired = conn_.query(
        sql("SELECT ",
            "FROM sms_outbox WHERE state = 'sending' AND next_attempt_at <= UTC_TIMESTAMP(3) "
            "ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED"),
        limit - static_cast<int>(claimed.size()));
    for (SmsMessage& m : readMessages(expired)) claimed.push_back(std::move(m));
  }
  const std::int64_t lease_us = static_cast<std::int64_t>(lease_ms) * 1000;
  for (SmsMessage& m : claimed) {
    // next_attempt_at doubles as the lease's end, so one index finds both kinds of due rows.
    conn_.execute(
        "UPDATE sms_outbox SET state = 'sending', attempts = attempts + 1, "
        "lease_until = UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND, "
        "next_attempt_at = UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND, "
        "updated_at = UTC_TIMESTAMP(3) WHERE id = ?",
        lease_us, lease_us, m.id);
    m.state = SmsState::Sending;
    ++m.attempts;
  }
  return claimed;
}

bool SmsOutboxStore::markSent(std::int64_t id, int attempt, const std::string& gateway,
                              const std::string& gateway_message_id) {
  // A delivery report can overtake this update; it keeps its final state.
  return conn_.execute(
             "UPDATE sms_outbox SET state = IF(state = 'sending', 'sent', state), "
             "sent_at = UTC_TIMESTAMP(3), lease_until = NULL, gateway = ?, "
             "gateway_message_id = ?, last_error = NULL, updated_at = UTC_TIMESTAMP(3) "
             "WHERE id = ? AND attempts = ? AND state IN ('sending', 'delivered')",
             gateway,
             gateway_message_id.empty() ? std::optional<std::string>()
                                        : std::optional<std::string>(gateway_message_id),
             id, attempt) > 0;
}

bool SmsOutboxStore::markRetry(std::int64_t id, int attempt, const std::string& error,
                               std::int64_t delay_ms) {
  return conn_.execute(
             "UPDATE sms_outbox SET state = 'queued', lease_until = NULL, last_error = ?, "
             "next_attempt_at = UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND, "
             "updated_at = UTC_TIMESTAMP(3) WHERE id = ? AND attempts = ? AND state = 'sending'",
             error.substr(0, 500), delay_ms * 1000, id, attempt) > 0;
}

bool SmsOutboxStore::markFailed(std::int64_t id, int attempt, const std::string& error) {
  return conn_.execute(
             "UPDATE sms_outbox SET state = 'failed', lease_until = NULL, last_error = ?, "
             "updated_at = UTC_TIMESTAMP(3) WHERE id = ? AND attempts = ? AND state = 'sending'",
             error.substr(0, 500), id, attempt) > 0;
}

bool SmsOutboxStore::recordReport(const std::string& dlr_token, const std::string& dlr_status,
                                  std::optional<SmsState> final_state, const std::string& error,
                                  const std::string& gateway_message_id) {
  // The state itself stays when the report is intermediate.
  const std::string state = final_state ? std::string(smsStateCode(*final_state)) : "";
  return conn_.execute(
             "UPDATE sms_outbox SET state = IF(? = '', state, ?), dlr_status = ?, "
             "dlr_at = UTC_TIMESTAMP(3), last_error = IF(? = '', last_error, ?), "
             "updated_at = UTC_TIMESTAMP(3) "
             "WHERE dlr_token = ? AND state IN ('sending', 'sent') "
             "AND (? = '' OR gateway_message_id IS NULL OR gateway_message_id = ?)",
             state, state, dlr_status, error, error.substr(0, 500), dlr_token, gateway_message_id,
             gateway_message_id) > 0;
}

bool SmsOutboxStore::replaceText(std::int64_t id, const std::string& text) {
  return conn_.execute(
             "UPDATE sms_outbox SET text = ?, updated_at = UTC_TIMESTAMP(3) WHERE id = ?", text,
             id) > 0;
}

std::optional<SmsMessage> SmsOutboxStore::find(std::int64_t id) {
  db::Rows r = conn_.query(sql("SELECT ", "FROM sms_outbox WHERE id = ?"), id);
  auto all = readMessages(r);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::optional<SmsMessage> SmsOutboxStore::findByToken(const std::string& dlr_token) {
  db::Rows r = conn_.query(sql("SELECT ", "FROM sms_outbox WHERE dlr_token = ?"), dlr_token);
  auto all = readMessages(r);
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<SmsMessage> SmsOutboxStore::list(std::optional<SmsState> state, int limit) {
  const std::string code = state ? std::string(smsStateCode(*state)) : "";
  db::Rows r = conn_.query(
      sql("SELECT ", "FROM sms_outbox WHERE (? = '' OR state = ?) ORDER BY id DESC LIMIT ?"), code,
      code, limit);
  return readMessages(r);
}

std::vector<SmsMessage> SmsOutboxStore::forComplaint(std::int64_t complaint_id) {
  db::Rows r = conn_.query(sql("SELECT ", "FROM sms_outbox WHERE complaint_id = ? ORDER BY id"),
                           complaint_id);
  return readMessages(r);
}

bool SmsOutboxStore::requeue(std::int64_t id, int retry_window_s) {
  return conn_.execute(
             "UPDATE sms_outbox SET state = 'queued', attempt_base = attempts, "
             "next_attempt_at = UTC_TIMESTAMP(3), "
             "retry_until = UTC_TIMESTAMP(3) + INTERVAL ? SECOND, updated_at = UTC_TIMESTAMP(3) "
             "WHERE id = ? AND state = 'failed'",
             retry_window_s, id) > 0;
}

bool SmsOutboxStore::takeDailySlot(const std::string& recipient, const std::string& day,
                                   int limit) {
  conn_.execute(
      "INSERT INTO sms_recipient_days (recipient, day, messages) VALUES (?, ?, 0) "
      "ON DUPLICATE KEY UPDATE messages = messages",
      recipient, day);
  db::Rows r = conn_.query(
      "SELECT messages FROM sms_recipient_days WHERE recipient = ? AND day = ? FOR UPDATE",
      recipient, day);
  const std::int64_t used = r.next() ? r.i64("messages") : 0;
  if (limit >= 0 && used >= limit) return false;
  conn_.execute(
      "UPDATE sms_recipient_days SET messages = messages + 1 WHERE recipient = ? AND day = ?",
      recipient, day);
  return true;
}

std::vector<SmsMessage> SmsOutboxStore::lockFailedCreatedBetween(const std::string& from,
                                                                 const std::string& to,
                                                                 int limit) {
  db::Rows r = conn_.query(
      sql("SELECT ",
          "FROM sms_outbox WHERE state = 'failed' AND created_on BETWEEN ? AND ? "
          "ORDER BY id LIMIT ? FOR UPDATE"),
      from, to, limit);
  return readMessages(r);
}

bool SmsOutboxStore::extendLease(std::int64_t id, int attempt, int lease_ms) {
  return conn_.execute(
             "UPDATE sms_outbox SET lease_until = UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND, "
             "next_attempt_at = UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND "
             "WHERE id = ? AND attempts = ? AND state = 'sending'",
             static_cast<std::int64_t>(lease_ms) * 1000, static_cast<std::int64_t>(lease_ms) * 1000,
             id, attempt) > 0;
}

std::int64_t SmsOutboxStore::countReportOverdue(int timeout_s) {
  db::Rows r = conn_.query(
      "SELECT COUNT(*) AS n FROM sms_outbox WHERE state = 'sent' "
      "AND sent_at < UTC_TIMESTAMP(3) - INTERVAL ? SECOND",
      timeout_s);
  r.next();
  return r.i64("n");
}

std::vector<SmsMessage> SmsOutboxStore::listReportOverdue(int timeout_s, int limit) {
  db::Rows r = conn_.query(
      sql("SELECT ",
          "FROM sms_outbox WHERE state = 'sent' AND sent_at < UTC_TIMESTAMP(3) - INTERVAL ? "
          "SECOND ORDER BY sent_at LIMIT ?"),
      timeout_s, limit);
  return readMessages(r);
}

std::int64_t SmsOutboxStore::backlog() {
  db::Rows r =
      conn_.query("SELECT COUNT(*) AS n FROM sms_outbox WHERE state IN ('queued', 'sending')");
  r.next();
  return r.i64("n");
}

std::vector<std::pair<SmsState, std::int64_t>> SmsOutboxStore::stateCounts() {
  db::Rows r = conn_.query("SELECT state, COUNT(*) AS n FROM sms_outbox GROUP BY state");
  std::vector<std::pair<SmsState, std::int64_t>> out;
  while (r.next()) {
    if (auto s = parseSmsState(r.str("state"))) out.emplace_back(*s, r.i64("n"));
  }
  return out;
}

std::vector<SmsCount> SmsOutboxStore::countsByStateAndGateway() {
  db::Rows r = conn_.query(
      "SELECT state, COALESCE(gateway, '') AS gateway, COUNT(*) AS n FROM sms_outbox "
      "GROUP BY state, gateway");
  std::vector<SmsCount> out;
  while (r.next()) {
    if (auto s = parseSmsState(r.str("state"))) out.push_back({*s, r.str("gateway"), r.i64("n")});
  }
  return out;
}

}  // namespace hotline
