#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/connection.h"
#include "db/pool.h"
#include "hotline/complaint.h"
#include "hotline/local_clock.h"
#include "hotline/sms_message.h"
#include "hotline/sms_options.h"

namespace hotline {

// A complaint event that may tell the complainant something by SMS.
struct SmsEvent {
  std::int64_t complaint_id = 0;
  std::int64_t event_id = 0;
  EventKind kind = EventKind::Note;
  bool is_public = false;
  std::optional<std::string> phone;  // as stored (normalised)
  std::string registration_no;
  std::string tracking_code;  // registration only
  std::string department;     // transfer: the receiving department
  std::string reason;         // rejection: "理由名称：说明"
  std::string text;           // the public note or result
  LocalTime now;
};

enum class SmsEnqueue {
  None,        // no message for this event or number (internal, anonymous, landline)
  Queued,      // a message row was written
  DailyLimit,  // written as failed: the number had its daily quota
};

// The message for `event` and its text, if the event sends one: registration, acceptance,
// rejection, transfer, a public progress note (or a start with a public note), conclusion.
std::optional<std::string> renderSms(const SmsOptions& options, const SmsEvent& event);

// Writes the event's message to sms_outbox on `conn`, inside the caller's transaction (the one
// that appends the event), so the message exists exactly when the event does. Throws
// db::DbError; the caller's rollback then removes the event too.
SmsEnqueue enqueueSms(db::Connection& conn, const SmsOptions& options, const SmsEvent& event);

// What a delivery report did.
enum class DeliveryReportOutcome {
  Recorded,  // the message is now delivered or failed, or an intermediate report was noted
  Ignored    // unknown token, unknown report type, or the message was already final
};

// The outbox as staff and the delivery-report endpoint see it. Thread safe: each call borrows
// a connection from the pool. Throws db::DbError.
class SmsOutbox {
 public:
  explicit SmsOutbox(db::Pool& pool) : pool_(pool) {}

  // Kannel's report types (%d in dlr-url): 1 delivered, 2 failed, 16 rejected by the SMSC end
  // the message; 4 (queued at the SMSC) and 8 (accepted by the SMSC) are noted.
  DeliveryReportOutcome recordDeliveryReport(const std::string& token, int report_type);

  std::vector<SmsMessage> list(std::optional<SmsState> state, int limit = 200);
  std::vector<SmsMessage> forComplaint(std::int64_t complaint_id);
  // A failed message goes out again (the same row, as many attempts again). False when the
  // message does not exist or is not failed.
  // `in_same_transaction`, when set, runs on the same connection after the requeue and before
  // the commit (the caller's audit row); if it throws, the resend is rolled back.
  bool resend(std::int64_t id,
              const std::function<void(db::Connection&)>& in_same_transaction = nullptr);
  std::vector<std::pair<SmsState, std::int64_t>> stateCounts();
  // By state and gateway, for /metrics (one GROUP BY on an index).
  std::vector<SmsCount> countsByStateAndGateway();
  // Messages queued or being sent, for /healthz.
  std::int64_t backlog();

 private:
  db::Pool& pool_;
};

// A fresh unguessable per-message token (32 lowercase hex characters) for the report URL.
std::string newDlrToken();
bool isDlrToken(const std::string& token);

}  // namespace hotline
