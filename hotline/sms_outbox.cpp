#include "hotline/sms_outbox.h"

#include <sodium.h>

#include <algorithm>
#include <map>

#include "db/transaction.h"
#include "hotline/hotline_error.h"
#include "hotline/sms_outbox_store.h"
#include "hotline/sms_text.h"
#include "hotline/text.h"

namespace hotline {

std::optional<std::string> renderSms(const SmsOptions& options, const SmsEvent& e) {
  const SmsTemplates& t = options.templates;
  const std::string* tmpl = nullptr;
  switch (e.kind) {
    case EventKind::Registered:
      tmpl = &t.registered;
      break;
    case EventKind::Accepted:
      tmpl = &t.accepted;
      break;
    case EventKind::Rejected:
      tmpl = &t.rejected;
      break;
    case EventKind::Transferred:
      tmpl = &t.transferred;
      break;
    case EventKind::Started:
    case EventKind::Note:
      if (!e.is_public || trimText(e.text).empty()) return std::nullopt;
      tmpl = &t.progress;
      break;
    case EventKind::Concluded:
      tmpl = &t.concluded;
      break;
    default:
      return std::nullopt;
  }
  if (tmpl->empty()) return std::nullopt;  // an operator switched this message off
  const std::size_t max = options.max_field_chars;
  const std::map<std::string, std::string> values = {
      {"number", e.registration_no},
      {"code", e.tracking_code},
      {"reason", cutText(trimText(e.reason), max)},
      {"department", cutText(trimText(e.department), max)},
      {"note", cutText(trimText(e.text), max)},
      {"result", cutText(trimText(e.text), max)},
  };
  std::string body = trimText(substitute(*tmpl, "{", "}", values, nullptr));
  if (options.signature.empty()) return body;
  return "【" + options.signature + "】" + body;
}

SmsEnqueue enqueueSms(db::Connection& conn, const SmsOptions& options, const SmsEvent& e) {
  if (!options.enabled || !e.phone) return SmsEnqueue::None;
  const auto recipient = smsRecipient(*e.phone);
  if (!recipient) return SmsEnqueue::None;
  auto text = renderSms(options, e);
  if (!text) return SmsEnqueue::None;

  SmsOutboxStore store(conn);
  NewSmsMessage m;
  m.complaint_id = e.complaint_id;
  m.event_id = e.event_id;
  m.event_kind = std::string(eventKindCode(e.kind));
  m.recipient = *recipient;
  m.text = std::move(*text);
  m.segments = smsSegments(m.text);
  m.dlr_token = newDlrToken();
  m.created_at = e.now.text;
  m.created_on = e.now.date;
  SmsEnqueue outcome = SmsEnqueue::Queued;
  if (store.countForRecipientOn(m.recipient, m.created_on) >= options.daily_limit_per_number) {
    m.refused = "超过每个号码每日" + std::to_string(options.daily_limit_per_number) +
                "条的发送上限，未发送";
    outcome = SmsEnqueue::DailyLimit;
  }
  store.insert(m);
  return outcome;
}

DeliveryReportOutcome SmsOutbox::recordDeliveryReport(const std::string& token, int report_type) {
  if (!isDlrToken(token)) return DeliveryReportOutcome::Ignored;
  std::optional<SmsState> final_state;
  std::string status;
  std::string error;
  switch (report_type) {
    case 1:
      final_state = SmsState::Delivered;
      status = "delivered";
      break;
    case 2:
      final_state = SmsState::Failed;
      status = "failed";
      error = "送达报告：发送失败";
      break;
    case 16:
      final_state = SmsState::Failed;
      status = "rejected";
      error = "送达报告：短信中心拒收";
      break;
    case 4:
      status = "smsc_queued";
      break;
    case 8:
      status = "smsc_accepted";
      break;
    default:
      return DeliveryReportOutcome::Ignored;
  }
  auto conn = pool_.acquire();
  return SmsOutboxStore(*conn).recordReport(token, status, final_state, error)
             ? DeliveryReportOutcome::Recorded
             : DeliveryReportOutcome::Ignored;
}

std::vector<SmsMessage> SmsOutbox::list(std::optional<SmsState> state, int limit) {
  auto conn = pool_.acquire();
  return SmsOutboxStore(*conn).list(state, std::max(1, std::min(limit, 1000)));
}

std::vector<SmsMessage> SmsOutbox::forComplaint(std::int64_t complaint_id) {
  auto conn = pool_.acquire();
  return SmsOutboxStore(*conn).forComplaint(complaint_id);
}

bool SmsOutbox::resend(std::int64_t id,
                       const std::function<void(db::Connection&)>& in_same_transaction) {
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  if (!SmsOutboxStore(*conn).requeue(id)) return false;
  if (in_same_transaction) in_same_transaction(*conn);
  tx.commit();
  return true;
}

std::vector<std::pair<SmsState, std::int64_t>> SmsOutbox::stateCounts() {
  auto conn = pool_.acquire();
  return SmsOutboxStore(*conn).stateCounts();
}

std::vector<SmsCount> SmsOutbox::countsByStateAndGateway() {
  auto conn = pool_.acquire();
  return SmsOutboxStore(*conn).countsByStateAndGateway();
}

std::int64_t SmsOutbox::backlog() {
  auto conn = pool_.acquire();
  return SmsOutboxStore(*conn).backlog();
}

std::string newDlrToken() {
  if (sodium_init() < 0) throw HotlineError("libsodium cannot initialise");
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string(hex, 32);
}

bool isDlrToken(const std::string& token) {
  if (token.size() != 32) return false;
  for (const char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace hotline
