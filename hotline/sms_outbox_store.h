#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/connection.h"
#include "hotline/sms_message.h"

namespace hotline {

// SQL for sms_outbox. Works on a connection the caller holds (and its transaction, if any);
// not thread safe, like the connection. Throws db::DbError on infrastructure failure.
//
// The dispatcher's updates are fenced by `attempt` (the attempts count its claim set): when a
// lease expired and another node claimed the row again, the late node's update changes
// nothing and returns false.
class SmsOutboxStore {
 public:
  explicit SmsOutboxStore(db::Connection& conn) : conn_(conn) {}

  // Throws db::DbError with isDuplicateKey() when the (complaint, event) already has one.
  void insert(const NewSmsMessage& message);

  // Claims up to `limit` due messages: queued ones whose time has come, and sending ones whose
  // lease ran out (their node died). Each becomes sending, attempts + 1, leased for
  // `lease_ms`. Rows another transaction holds are skipped (SKIP LOCKED). Precondition: inside
  // a transaction, committed right after so the row locks are short.
  std::vector<SmsMessage> claimDue(int limit, int lease_ms);
  // Makes the next transaction on this connection READ COMMITTED: the claim then takes no
  // gap locks, so concurrent claims skip each other's rows instead of deadlocking on the
  // index entries their updates move. Call before the claim's transaction starts.
  void readCommittedForNextTransaction();

  bool markSent(std::int64_t id, int attempt, const std::string& gateway,
                const std::string& gateway_message_id);
  bool markRetry(std::int64_t id, int attempt, const std::string& error, std::int64_t delay_ms);
  bool markFailed(std::int64_t id, int attempt, const std::string& error);

  // A delivery report for a message not final yet (sending or sent). `final_state` Delivered
  // or Failed ends it; std::nullopt records an intermediate report. A non-empty
  // `gateway_message_id` must match the one recorded, if any. False: unknown token, another
  // gateway id, or already final.
  bool recordReport(const std::string& dlr_token, const std::string& dlr_status,
                    std::optional<SmsState> final_state, const std::string& error,
                    const std::string& gateway_message_id = "");
  // Replaces a message's stored text (the tracking code scrubbed). False: no such message.
  bool replaceText(std::int64_t id, const std::string& text);

  std::optional<SmsMessage> find(std::int64_t id);
  std::optional<SmsMessage> findByToken(const std::string& dlr_token);
  // Newest first.
  std::vector<SmsMessage> list(std::optional<SmsState> state, int limit);
  std::vector<SmsMessage> forComplaint(std::int64_t complaint_id);
  // A failed message becomes queued, due now, retried for `retry_window_s` again. False when
  // it is not failed.
  bool requeue(std::int64_t id, int retry_window_s);
  // The per-number daily cap (sms_recipient_days): locks the (recipient, day) counter row
  // until the caller's transaction ends and adds one message unless `limit` are counted
  // already (limit < 0: add one regardless, the audited override). False: at the cap, nothing
  // added. `day` is "YYYY-MM-DD", Beijing time. Precondition: inside a transaction.
  bool takeDailySlot(const std::string& recipient, const std::string& day, int limit);
  // Failed messages created (Beijing date) from `from` to `to` inclusive, oldest first, locked
  // for the caller's transaction.
  std::vector<SmsMessage> lockFailedCreatedBetween(const std::string& from, const std::string& to,
                                                   int limit);
  // The dispatcher's heartbeat: the claim of attempt `attempt` lasts `lease_ms` from now.
  // False when the row is no longer this claim's.
  bool extendLease(std::int64_t id, int attempt, int lease_ms);
  // Messages the gateway accepted more than `timeout_s` ago whose final delivery report has
  // not come (state still sent).
  std::int64_t countReportOverdue(int timeout_s);
  std::vector<SmsMessage> listReportOverdue(int timeout_s, int limit);
  std::vector<std::pair<SmsState, std::int64_t>> stateCounts();
  // Messages by state and by the gateway that sent them ("" for none yet), for /metrics: one
  // GROUP BY over the (state, gateway) index.
  std::vector<SmsCount> countsByStateAndGateway();
  // Messages waiting (queued or sending): a range on the state index, cheap at any table size.
  std::int64_t backlog();

 private:
  db::Connection& conn_;
};

}  // namespace hotline
