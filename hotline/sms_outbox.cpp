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
      if (!e.is_public || base::trim(e.text).empty()) return std::nullopt;
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
      {"reason", cutText(base::trim(e.reason), max)},
      {"department", cutText(base::trim(e.department), max)},
      {"note", cutText(base::trim(e.text), max)},
      {"result", cutText(base::trim(e.text), max)},
  };
  std::string body = tidySentenceEnds(base::trim(substitute(*tmpl, "{", "}", values, nullptr)));
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
  m.retry_window_s = options.retry_window_s;
  SmsEnqueue outcome = SmsEnqueue::Queued;
  if (!store.takeDailySlot(m.recipient, m.created_on.toString(),
                           options.daily_limit_per_number)) {
    m.refused = "超过每个号码每日" + std::to_string(options.daily_limit_per_number) +
                "条的发送上限，未发送";
    outcome = SmsEnqueue::DailyLimit;
  }
  store.insert(m);
  return outcome;
}

std::optional<DeliveryReport> kannelDeliveryReport(int report_type) {
  DeliveryReport r;
  switch (report_type) {
    case 1:
      r.final_state = SmsState::Delivered;
      r.status = "delivered";
      break;
    case 2:
      r.final_state = SmsState::Failed;
      r.status = "failed";
      r.error = "送达报告：发送失败";
      break;
    case 16:
      r.final_state = SmsState::Failed;
      r.status = "rejected";
      r.error = "送达报告：短信中心拒收";
      break;
    case 4:
      r.status = "smsc_queued";
      break;
    case 8:
      r.status = "smsc_accepted";
      break;
    default:
      return std::nullopt;
  }
  return r;
}

namespace {

// Non-empty, at most `max` characters, each an uppercase letter, a digit or '_'.
bool isStatusCode(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool isPrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

}  // namespace

std::optional<DeliveryReport> jasminDeliveryReport(std::string_view id,
                                                   std::string_view message_status,
                                                   std::string_view level, std::string_view err) {
  if (level != "1" && level != "2" && level != "3") return std::nullopt;
  if (!isStatusCode(message_status, 32)) return std::nullopt;
  if (id.size() > 128 || !isPrintableAscii(id)) return std::nullopt;
  if (err.size() > 16 || !isPrintableAscii(err)) return std::nullopt;
  DeliveryReport r;
  r.status = std::string(message_status);
  r.gateway_message_id = std::string(id);
  // A network error code of all zeros means none.
  const bool has_err = err.find_first_not_of('0') != std::string_view::npos;
  const std::string detail =
      "（" + r.status + (has_err ? "，错误码 " + std::string(err) : std::string()) + "）";
  static const std::map<std::string_view, std::string_view> kFailures = {
      {"UNDELIV", "无法送达"},
      {"REJECTD", "被拒收"},
      {"EXPIRED", "超过有效期未送达"},
      {"DELETED", "已被删除"},
      {"UNKNOWN", "送达状态不明"}};
  if (message_status == "ESME_ROK" || message_status == "ENROUTE" || message_status == "ACCEPTD") {
    return r;  // the SMSC has it, or the handset's state is not final: noted
  }
  if (message_status == "DELIVRD") {
    r.final_state = SmsState::Delivered;
    return r;
  }
  if (message_status.rfind("ESME_", 0) == 0) {
    // The SMSC refused the submit: no receipt will follow.
    r.final_state = SmsState::Failed;
    r.error = "送达报告：短信中心拒收" + detail;
    return r;
  }
  const auto failure = kFailures.find(message_status);
  if (failure == kFailures.end()) return std::nullopt;
  r.final_state = SmsState::Failed;
  r.error = "送达报告：" + std::string(failure->second) + detail;
  return r;
}

std::optional<std::string> maskTrackingCode(const SmsOptions& options, const std::string& text) {
  // The template rendered with markers for the two values it may hold; every other
  // placeholder renders empty for a registration, as when the message was written.
  constexpr char kCode = '\x01';
  constexpr char kNumber = '\x02';
  SmsEvent e;
  e.kind = EventKind::Registered;
  e.registration_no = std::string(1, kNumber);
  e.tracking_code = std::string(1, kCode);
  const auto pattern = renderSms(options, e);
  if (!pattern || pattern->find(kCode) == std::string::npos) return text;

  // Literal runs and holes, in order.
  struct Part {
    char hole = 0;  // kCode, kNumber, or 0 for the literal
    std::string literal;
  };
  std::vector<Part> parts;
  for (const char c : *pattern) {
    if (c == kCode || c == kNumber) {
      parts.push_back({c, ""});
    } else {
      if (parts.empty() || parts.back().hole != 0) parts.push_back({0, ""});
      parts.back().literal += c;
    }
  }
  // Each hole ends where the next literal first appears; two holes side by side cannot be
  // told apart.
  std::size_t pos = 0;
  std::string code;
  std::string number;
  std::string masked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Part& part = parts[i];
    if (part.hole == 0) {
      if (text.compare(pos, part.literal.size(), part.literal) != 0) return std::nullopt;
      pos += part.literal.size();
      masked += part.literal;
      continue;
    }
    std::size_t end = text.size();
    if (i + 1 < parts.size()) {
      if (parts[i + 1].hole != 0) return std::nullopt;
      end = text.find(parts[i + 1].literal, pos);
      if (end == std::string::npos) return std::nullopt;
    }
    const std::string value = text.substr(pos, end - pos);
    if (value.empty()) return std::nullopt;
    std::string& seen = part.hole == kCode ? code : number;
    if (!seen.empty() && seen != value) return std::nullopt;
    seen = value;
    masked += part.hole == kCode ? std::string(kTrackingCodeMask) : value;
    pos = end;
  }
  if (pos != text.size()) return std::nullopt;
  return masked;
}

std::string displayedSmsText(const SmsOptions& options, const SmsMessage& m) {
  if (m.event_kind != eventKindCode(EventKind::Registered)) return m.text;
  return maskTrackingCode(options, m.text).value_or("（登记短信含查询码，不予显示）");
}

void scrubTrackingCode(db::Connection& conn, const SmsOptions& options, const SmsMessage& m) {
  if (m.event_kind != eventKindCode(EventKind::Registered)) return;
  const std::string scrubbed =
      maskTrackingCode(options, m.text).value_or("（登记短信，内容含查询码，已清除）");
  if (scrubbed != m.text) SmsOutboxStore(conn).replaceText(m.id, scrubbed);
}

DeliveryReportOutcome SmsOutbox::recordDeliveryReport(const std::string& token, int report_type) {
  const auto report = kannelDeliveryReport(report_type);
  if (!report) return DeliveryReportOutcome::Ignored;
  return recordDeliveryReport(token, *report);
}

DeliveryReportOutcome SmsOutbox::recordDeliveryReport(const std::string& token,
                                                      const DeliveryReport& report) {
  if (!isDlrToken(token)) return DeliveryReportOutcome::Ignored;
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  SmsOutboxStore store(*conn);
  if (!store.recordReport(token, report.status, report.final_state, report.error,
                          report.gateway_message_id)) {
    return DeliveryReportOutcome::Ignored;
  }
  if (report.final_state) {
    if (auto m = store.findByToken(token)) scrubTrackingCode(*conn, options_, *m);
  }
  tx.commit();
  return DeliveryReportOutcome::Recorded;
}

std::vector<SmsMessage> SmsOutbox::list(std::optional<SmsState> state, int limit) {
  auto conn = pool_.acquire();
  return SmsOutboxStore(*conn).list(state, std::max(1, std::min(limit, 1000)));
}

std::vector<SmsMessage> SmsOutbox::forComplaint(std::int64_t complaint_id) {
  auto conn = pool_.acquire();
  return SmsOutboxStore(*conn).forComplaint(complaint_id);
}

ResendOutcome SmsOutbox::resend(std::int64_t id, bool over_daily_limit,
                                const std::function<void(db::Connection&)>& in_same_transaction) {
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  SmsOutboxStore store(*conn);
  const auto m = store.find(id);
  if (!m || m->state != SmsState::Failed) return ResendOutcome::NotFailed;
  if (!store.takeDailySlot(m->recipient, clock_.now().date.toString(),
                           over_daily_limit ? -1 : options_.daily_limit_per_number)) {
    return ResendOutcome::DailyLimit;
  }
  if (!store.requeue(id, options_.retry_window_s)) return ResendOutcome::NotFailed;
  if (in_same_transaction) in_same_transaction(*conn);
  tx.commit();
  return ResendOutcome::Resent;
}

BulkResend SmsOutbox::resendFailed(
    const CivilDate& from, const CivilDate& to,
    const std::function<void(db::Connection&, const BulkResend&)>& in_same_transaction) {
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  SmsOutboxStore store(*conn);
  const std::string today = clock_.now().date.toString();
  BulkResend result;
  for (const SmsMessage& m :
       store.lockFailedCreatedBetween(from.toString(), to.toString(), kMaxBulkResend)) {
    if (!store.takeDailySlot(m.recipient, today, options_.daily_limit_per_number)) {
      ++result.over_limit;
      continue;
    }
    if (store.requeue(m.id, options_.retry_window_s)) result.resent.push_back(m.id);
  }
  if (in_same_transaction) in_same_transaction(*conn, result);
  tx.commit();
  return result;
}

std::int64_t SmsOutbox::reportOverdueCount() {
  if (options_.dlr_base_url.empty()) return 0;  // sent is final then
  auto conn = pool_.acquire();
  return SmsOutboxStore(*conn).countReportOverdue(options_.report_timeout_s);
}

std::vector<SmsMessage> SmsOutbox::reportOverdue(int limit) {
  if (options_.dlr_base_url.empty()) return {};
  auto conn = pool_.acquire();
  return SmsOutboxStore(*conn).listReportOverdue(options_.report_timeout_s,
                                                 std::max(1, std::min(limit, 1000)));
}

OutboxOverview SmsOutbox::overview(std::optional<SmsState> state, int limit, int overdue_limit) {
  OutboxOverview o;
  o.messages = list(state, limit);
  o.counts = stateCounts();
  o.report_overdue = reportOverdue(overdue_limit);
  o.report_overdue_count = reportOverdueCount();
  return o;
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
