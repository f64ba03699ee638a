#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

// One delivery report in the gateway's terms, ready to record.
struct DeliveryReport {
  std::optional<SmsState> final_state;  // Delivered or Failed; std::nullopt: intermediate
  std::string status;                   // kept as dlr_status: "delivered", "UNDELIV", ...
  std::string error;                    // a failure's reason for staff ("" for none)
  // The gateway's id for the message when the report names it (Jasmin's `id`): the report is
  // ignored unless the message has no id yet or has this one, so a late report about an
  // earlier attempt of a resent message cannot end the new attempt.
  std::string gateway_message_id;
};

// Kannel's report types (%d in dlr-url): 1 delivered, 2 failed, 16 rejected by the SMSC end
// the message; 4 (queued at the SMSC) and 8 (accepted by the SMSC) are noted. Any other type:
// std::nullopt (ignored).
std::optional<DeliveryReport> kannelDeliveryReport(int report_type);

// Jasmin's report (ja-http "Receiving DLR"), from its form fields `id`, `message_status` and
// `level` (1 = the SMSC's answer to the submit, 2 = the handset's delivery receipt, 3 = both
// were asked for; `level` is the level requested, not the kind of this report) and `err`.
// The kind is told by `message_status`: an SMPP command status (ESME_ROK: the SMSC took it,
// noted; any other ESME_*: the SMSC refused it, failed) or a receipt state (DELIVRD:
// delivered; UNDELIV, REJECTD, EXPIRED, DELETED, UNKNOWN: failed; ENROUTE, ACCEPTD: noted).
// std::nullopt for a malformed report or an unknown state (ignored; Jasmin is still
// acknowledged, since sending it again would not make it readable).
std::optional<DeliveryReport> jasminDeliveryReport(std::string_view id,
                                                   std::string_view message_status,
                                                   std::string_view level, std::string_view err);

// The mask that replaces a tracking code in stored and displayed registration messages.
inline constexpr std::string_view kTrackingCodeMask = "******";

// `text` (a registration message) with its tracking code replaced by kTrackingCodeMask. The
// code's place is found by matching `text` against the registration template as configured
// now (signature included): the literal parts must match exactly, {number} and {code} fill the
// gaps. Text already masked comes back unchanged, as does any text when the template has no
// {code}. std::nullopt when the text does not follow the template (an operator edited it
// since the message was written): then the code's place is unknown and the caller must not
// show or keep the text.
std::optional<std::string> maskTrackingCode(const SmsOptions& options, const std::string& text);

// What staff may see of a message's text: a registration message masked, or a placeholder
// when it cannot be masked; any other message as it is.
std::string displayedSmsText(const SmsOptions& options, const SmsMessage& message);

// Once a registration message is final, its stored text loses the tracking code (masked; the
// whole text replaced by a note when the template no longer matches), so neither a database
// reader nor a staff page ever sees the code again. Other messages are left alone. Runs on
// `conn` inside the caller's transaction (the one recording the final state). When: delivered
// (a report), sent with no delivery reports asked for (sent is final then), or failed for good
// (the gateway refused the number, or a report said it failed). Not when the retries ran out
// or the daily limit refused it: that message never left, a staff resend is its remedy and
// must carry the real code, so it keeps the code (masked on display) until it is final after
// the resend. A resend of a scrubbed message sends the masked text.
void scrubTrackingCode(db::Connection& conn, const SmsOptions& options, const SmsMessage& message);

enum class ResendOutcome {
  Resent,
  NotFailed,   // no such message, or it is not failed
  DailyLimit,  // the number has had its daily cap of messages today: nothing changed
};

// The staff outbox page: the newest messages (of one state), the count per state, and the
// messages whose delivery report is overdue.
struct OutboxOverview {
  std::vector<SmsMessage> messages;
  std::vector<std::pair<SmsState, std::int64_t>> counts;
  std::vector<SmsMessage> report_overdue;
  std::int64_t report_overdue_count = 0;
};

// What a bulk resend did.
struct BulkResend {
  std::vector<std::int64_t> resent;  // ids queued again
  int over_limit = 0;                // left failed: their number is at its daily cap
};
inline constexpr int kMaxBulkResend = 1000;

// The outbox as staff and the delivery-report endpoint see it. Thread safe: each call borrows
// a connection from the pool. Throws db::DbError.
class SmsOutbox {
 public:
  // `options`: the templates and signature, to mask and scrub registration messages.
  // `clock` tells the Beijing day a resend counts against the daily cap.
  SmsOutbox(db::Pool& pool, SmsOptions options, LocalClock clock = LocalClock())
      : pool_(pool), options_(std::move(options)), clock_(std::move(clock)) {}

  // Records `report` for the message with this token, in one transaction with the scrubbing
  // of its tracking code when the report ends it.
  DeliveryReportOutcome recordDeliveryReport(const std::string& token,
                                             const DeliveryReport& report);
  // Kannel's report type (kannelDeliveryReport); an unknown type is ignored.
  DeliveryReportOutcome recordDeliveryReport(const std::string& token, int report_type);
  const SmsOptions& options() const { return options_; }

  std::vector<SmsMessage> list(std::optional<SmsState> state, int limit = 200);
  std::vector<SmsMessage> forComplaint(std::int64_t complaint_id);
  // A failed message goes out again (the same row, retried for retry_window_s again). Each
  // resend counts against the number's daily cap like a new message; beyond the cap only with
  // `over_daily_limit` (the caller audits that). `in_same_transaction`, when set, runs on the
  // same connection after the requeue and before the commit (the caller's audit row); if it
  // throws, the resend is rolled back.
  ResendOutcome resend(std::int64_t id, bool over_daily_limit = false,
                       const std::function<void(db::Connection&)>& in_same_transaction = nullptr);
  // Every failed message created (Beijing date) from `from` to `to` inclusive goes out again,
  // at most kMaxBulkResend, in one transaction; those whose number is at its daily cap are
  // left failed and counted. `in_same_transaction` (the audit row) sees the outcome.
  BulkResend resendFailed(
      const CivilDate& from, const CivilDate& to,
      const std::function<void(db::Connection&, const BulkResend&)>& in_same_transaction =
          nullptr);
  // Messages sent more than report_timeout_s ago whose final delivery report has not come
  // (0 and none when no reports are asked for).
  std::int64_t reportOverdueCount();
  std::vector<SmsMessage> reportOverdue(int limit = 200);
  std::vector<std::pair<SmsState, std::int64_t>> stateCounts();
  // list(state, limit), stateCounts() and reportOverdue(overdue_limit) with its count.
  OutboxOverview overview(std::optional<SmsState> state, int limit, int overdue_limit);
  // By state and gateway, for /metrics (one GROUP BY on an index).
  std::vector<SmsCount> countsByStateAndGateway();
  // Messages queued or being sent, for /healthz.
  std::int64_t backlog();

 private:
  db::Pool& pool_;
  SmsOptions options_;
  LocalClock clock_;
};

// A fresh unguessable per-message token (32 lowercase hex characters) for the report URL.
std::string newDlrToken();
bool isDlrToken(const std::string& token);

}  // namespace hotline
