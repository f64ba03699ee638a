#include "hotline/complaint_service.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "db/error.h"
#include "db/retry.h"
#include "db/transaction.h"
#include <sodium.h>

#include "hotline/complaint_store.h"
#include "hotline/hotline_error.h"
#include "hotline/phone_number.h"
#include "hotline/sms_outbox.h"
#include "hotline/text.h"
#include "hotline/tracking_code.h"

namespace hotline {
namespace {

// The month x department table of the statistics page: one row per (month, department) in
// the order they first appear, one column per state.
std::vector<MonthRow> monthRows(const std::vector<StateCount>& cells) {
  std::vector<MonthRow> rows;
  std::map<std::pair<std::string, std::string>, std::size_t> row_of;
  const auto& states = allStates();
  for (const StateCount& c : cells) {
    const std::pair<std::string, std::string> key{
        c.month, c.department_name.empty() ? "待分派" : c.department_name};
    auto [it, added] = row_of.emplace(key, rows.size());
    if (added) rows.push_back({key.first, key.second, std::vector<std::int64_t>(states.size(), 0), 0});
    MonthRow& row = rows[it->second];
    const auto at = std::find(states.begin(), states.end(), c.state);
    if (at == states.end()) continue;
    row.counts[static_cast<std::size_t>(at - states.begin())] += c.count;
    row.total += c.count;
  }
  return rows;
}

constexpr const char* kComplainant = "complainant";

FieldError fieldError(std::string field, std::string message) {
  return {std::move(field), std::move(message)};
}

// The SMS an event sends the complainant, if any, in the event's transaction.
void queueSms(db::Connection& conn, ComplaintStore& store, const SmsOptions& options,
              const Complaint& c, const NewEvent& e, std::int64_t event_id, const LocalTime& now) {
  if (!options.enabled || !c.complainant_phone) return;
  SmsEvent sms;
  sms.complaint_id = c.id;
  sms.event_id = event_id;
  sms.kind = e.kind;
  sms.is_public = e.is_public;
  sms.phone = c.complainant_phone;
  sms.registration_no = c.registration_no;
  sms.text = e.text.value_or("");
  if (e.kind == EventKind::Rejected) {
    const std::string name =
        e.reason_code ? store.rejectReasonName(*e.reason_code).value_or("") : std::string();
    sms.reason = name.empty() ? sms.text : name + "：" + sms.text;
  }
  if (e.kind == EventKind::Transferred && e.department_id) {
    sms.department = store.departmentName(*e.department_id).value_or("");
  }
  sms.now = now;
  enqueueSms(conn, options, sms);
}

ActionResult refusal(ActionStatus status, std::string message) {
  ActionResult r;
  r.status = status;
  r.errors.push_back({"", std::move(message)});
  return r;
}

bool validIdempotencyKey(const std::string& key) {
  if (key.size() < 16 || key.size() > 128) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':';
  });
}

// Checks a free text: well-formed UTF-8, not empty when required, not longer than `max`
// characters. Returns the trimmed text.
std::string checkText(std::vector<FieldError>& errors, const std::string& field,
                      const std::string& label, const std::string& value, bool required,
                      std::size_t max, const std::string& missing_message = "") {
  if (!isValidUtf8(value)) {
    errors.push_back(fieldError(field, label + "含有无效的字符编码，请重新输入"));
    return "";
  }
  if (hasControlCharacters(value)) {
    errors.push_back(fieldError(field, label + "含有不可见的控制字符，请删除后重新输入"));
    return "";
  }
  std::string text = base::trim(value);
  if (text.empty()) {
    if (required) {
      errors.push_back(
          fieldError(field, missing_message.empty() ? "请填写" + label : missing_message));
    }
    return text;
  }
  const std::size_t length = utf8Length(text);
  if (length > max) {
    errors.push_back(fieldError(field, label + "不能超过" + std::to_string(max) + "字（现为" +
                                           std::to_string(length) + "字）"));
  }
  return text;
}

// Validates the attachment entries; returns the non-blank ones, trimmed, in order. Entries are
// named by their 1-based position in the request, so a form can show the message by its row.
std::vector<ComplaintAttachment> checkAttachments(std::vector<FieldError>& errors,
                                                  const std::vector<AttachmentEntry>& entries) {
  std::vector<ComplaintAttachment> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const AttachmentEntry& e = entries[i];
    if (isValidUtf8(e.file_name) && isValidUtf8(e.description) && base::trim(e.file_name).empty() &&
        base::trim(e.description).empty()) {
      continue;  // an unused row
    }
    const std::string n = std::to_string(i + 1);
    const std::string field = "attachment_" + n + "_";
    const std::string label = "第" + n + "项附件的";
    ComplaintAttachment a;
    a.file_name = checkText(errors, field + "name", label + "文件名称", e.file_name, true,
                            kMaxAttachmentNameChars, "请填写第" + n + "项附件的文件名称");
    const std::string kind = base::trim(e.kind);
    if (kind.empty()) {
      errors.push_back(fieldError(field + "kind",
                                  "请选择第" + n + "项附件的类型：照片、视频、录音、文档或其他"));
    } else if (const auto parsed = parseAttachmentKind(kind)) {
      a.kind = *parsed;
    } else {
      errors.push_back(
          fieldError(field + "kind", label + "类型无效，只能是照片、视频、录音、文档或其他"));
    }
    a.description = checkText(errors, field + "description", label + "说明", e.description, false,
                              kMaxAttachmentDescriptionChars);
    out.push_back(std::move(a));
  }
  if (out.size() > kMaxAttachments) {
    errors.push_back(fieldError("attachments", "附件说明最多填写" +
                                                   std::to_string(kMaxAttachments) + "项（现为" +
                                                   std::to_string(out.size()) + "项）"));
  }
  return out;
}

std::optional<std::string> nonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// The clock that is running for a complaint (see RunningClock).
RunningClock runningClock(const Complaint& c) {
  return hotline::runningClock(c.state, c.review_due.has_value());
}

bool visibleTo(const Complaint& c, const StaffActor& actor) {
  if (!actor.department_id) return true;
  return c.department_id == actor.department_id ||
         c.transferred_from_department_id == actor.department_id;
}

// The handling department and the legal office. A department that transferred the complaint
// away still sees what it handed over and how it goes on (visibleTo), but no longer who
// complained, their phone, the evidence or the receiver's internal notes.
// Whether the complaint's last change was `action` by `account` (by the kind of its event).
bool lastChangeWas(const ComplaintEvent& last, Action action, const std::string& account) {
  if (last.actor != account) return false;
  const EventKind kind = last.kind;
  switch (action) {
    case Action::Assign:
      return kind == EventKind::Assigned;
    case Action::Accept:
      return kind == EventKind::Accepted;
    case Action::Reject:
      return kind == EventKind::Rejected;
    case Action::Transfer:
      return kind == EventKind::Transferred;
    case Action::Start:
      return kind == EventKind::Started;
    case Action::Note:
      return kind == EventKind::Note;
    case Action::Conclude:
      return kind == EventKind::Concluded;
    case Action::Evaluate:
      return kind == EventKind::Evaluated || kind == EventKind::Reopened;
  }
  return false;
}

// A form posted twice (a double click on 确认办结) finds the version its first post made: it
// repeats that change when the last change was this step by this person and this post would
// write the same thing again (the same text, 公开 choice, reason, department and rating; the
// step's mutation is run on a copy, which writes nothing). A different note or result from a
// stale second tab is not a repeat: it is told the complaint changed.
bool repeatsLastChange(
    ComplaintStore& store, const Complaint& c, Action action, const std::string& account,
    const std::function<std::vector<FieldError>(Complaint&, NewEvent&, ComplaintStore&)>& mutate) {
  const auto events = store.events(c.id, false);
  if (events.empty() || !lastChangeWas(events.back(), action, account)) return false;
  const ComplaintEvent& last = events.back();
  Complaint again = c;
  NewEvent would;
  would.department_id = c.department_id;
  if (!mutate(again, would, store).empty()) return false;
  return would.kind == last.kind && would.is_public == last.is_public &&
         would.text.value_or("") == last.text && would.reason_code.value_or("") == last.reason_code &&
         again.department_id == c.department_id && again.evaluation == c.evaluation;
}

bool handles(const Complaint& c, const StaffActor& actor) {
  return !actor.department_id || c.department_id == actor.department_id;
}

std::string eventTitle(const ComplaintEvent& e, const std::string& reject_reason_name) {
  switch (e.kind) {
    case EventKind::Registered:
      return "已登记";
    case EventKind::Assigned:
      return "已分派至" + e.department_name;
    case EventKind::Accepted:
      return "已受理";
    case EventKind::Rejected:
      return "不予受理" + (reject_reason_name.empty() ? "" : "：" + reject_reason_name);
    case EventKind::Transferred:
      return "已移送至" + e.department_name;
    case EventKind::Started:
      return "开始办理";
    case EventKind::Note:
      return "办理进展";
    case EventKind::Concluded:
      return "已办结";
    case EventKind::Evaluated:
    case EventKind::Reopened: {
      const auto rating = parseRating(e.reason_code);
      std::string title = "评价：" + std::string(rating ? ratingName(*rating) : "");
      if (e.kind == EventKind::Reopened) title += "，已转法制办复核";
      return title;
    }
    case EventKind::DeadlineRecomputed:
      return "期限重新计算";
    case EventKind::PhoneRevealed:
      return "查看联系电话";
  }
  return "";
}


// What a submission says, normalised, as a hex BLAKE2b-256: the same form sent twice gives the
// same value; any change of a field the complaint keeps gives another.
std::string intakeFingerprint(const IntakeRequest& req, const std::optional<std::string>& phone,
                              const std::vector<ComplaintAttachment>& attachments,
                              const std::vector<EvidenceFile>& evidence) {
  if (sodium_init() < 0) throw HotlineError("libsodium cannot initialise");
  std::string m;
  const auto field = [&m](const std::string& v) {
    m += std::to_string(v.size());
    m += ':';
    m += v;
  };
  field(std::string(sourceCode(req.source)));
  field(std::string(channelCode(req.channel)));
  field(req.department_id ? std::to_string(*req.department_id) : "");
  field(base::trim(req.category));
  field(base::trim(req.description));
  field(base::trim(req.location));
  field(req.latitude ? std::to_string(*req.latitude) : "");
  field(req.longitude ? std::to_string(*req.longitude) : "");
  field(base::trim(req.complainant_name));
  field(phone.value_or(""));
  for (const ComplaintAttachment& a : attachments) {
    field(a.file_name);
    field(std::string(attachmentKindCode(a.kind)));
    field(a.description);
  }
  for (const EvidenceFile& f : evidence) {
    field(f.original_name);
    field(f.digest);
  }
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(m.data()), m.size(),
                     nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return std::string(hex, 64);
}

}  // namespace

ComplaintService::ComplaintService(db::Pool& pool, CalendarService& calendar,
                                   HotlineOptions options, LocalClock clock)
    : pool_(pool),
      calendar_(calendar),
      options_(std::move(options)),
      clock_(std::move(clock)),
      format_(options_.registration_format),
      limiter_(options_.intake_limits) {
  if (const std::string errors = options_.validate(); !errors.empty()) {
    throw std::invalid_argument(errors);
  }
  if (options_.tracking_key.size() != TrackingCode::kKeyBytes) {
    throw std::invalid_argument("hotline: tracking_key must be 32 bytes (TrackingCode)");
  }
  // Checked when a number is unknown, so that failure costs what a wrong code costs.
  decoy_hash_ = TrackingCode::hash(TrackingCode::generate(options_.tracking_code_length),
                                   options_.tracking_key);
}

ComplaintService::~ComplaintService() = default;

std::vector<FieldError> ComplaintService::validate(
    const IntakeRequest& req, ComplaintStore& store, std::optional<std::string>* phone,
    std::vector<ComplaintAttachment>* attachments) const {
  std::vector<FieldError> errors;
  if (!validIdempotencyKey(req.idempotency_key)) {
    errors.push_back(fieldError("idempotency_key", "提交标识缺失或无效，请刷新页面后重新提交"));
  }
  // In the order of the form's fields, so the error summary above the form reads top down.
  if (req.department_id && !store.departmentName(*req.department_id)) {
    errors.push_back(fieldError("department_id", "所选部门不存在，请重新选择或选择“不确定”"));
  }
  const std::string category = base::trim(req.category);
  if (category.empty()) {
    errors.push_back(fieldError("category", "请选择投诉类别"));
  } else if (!isValidUtf8(category) || category.size() > 32 || !store.categoryName(category)) {
    errors.push_back(fieldError("category", "所选投诉类别不存在，请重新选择"));
  }
  checkText(errors, "description", "投诉举报内容", req.description, true,
            options_.max_description_chars);
  checkText(errors, "location", "发生地点", req.location, false, options_.max_location_chars);
  checkText(errors, "complainant_name", "姓名", req.complainant_name, false,
            options_.max_name_chars);

  const std::string raw_phone = base::trim(req.complainant_phone);
  if (!raw_phone.empty()) {
    *phone = normalizePhone(raw_phone);
    if (!*phone) {
      errors.push_back(fieldError(
          "complainant_phone",
          "联系电话格式不正确：请填写11位手机号码，或带区号的固定电话（如0431-81912345）"));
    }
  }

  const bool staff_entry = req.channel == Channel::Phone || req.source != Source::Complaint;
  if (staff_entry && base::trim(req.operator_account).empty()) {
    errors.push_back(fieldError("operator_account", "工作人员登记的投诉须记录登记人"));
  }
  if (req.latitude.has_value() != req.longitude.has_value() ||
      (req.latitude && (*req.latitude < -90 || *req.latitude > 90)) ||
      (req.longitude && (*req.longitude < -180 || *req.longitude > 180))) {
    errors.push_back(
        fieldError("location", "经纬度无效：应同时提供纬度（-90至90）和经度（-180至180）"));
  }
  *attachments = checkAttachments(errors, req.attachments);
  return errors;
}

Registration ComplaintService::replay(ComplaintStore& store, std::int64_t complaint_id,
                                      const std::string& tracking_code) {
  const std::optional<Complaint> c = store.find(complaint_id);
  if (!c) throw db::DbError("complaint " + std::to_string(complaint_id) + " vanished");
  const auto calendar = calendar_.calendar();
  Registration r;
  r.complaint_id = c->id;
  r.registration_no = c->registration_no;
  r.tracking_code = tracking_code;
  r.replayed = true;
  r.state = c->state;
  r.received_at = c->received_at;
  r.ack_deadline = computeDeadline(*calendar, c->received_date, c->ack_working_days);
  r.handling_deadline = computeDeadline(*calendar, c->received_date, c->handling_working_days);
  r.attachments = store.attachments(c->id);
  r.evidence_count = store.evidenceCount(c->id);
  return r;
}

IntakeResult ComplaintService::submit(const IntakeRequest& req) {
  // The CPU work comes first, before a connection is borrowed: a burst of complaints must not
  // hold connections other pages need. (Wasted on a refused submission, but it costs
  // microseconds.)
  PreparedIntake prepared;
  // An Open311 client's keys are its own: another client's same key is another submission.
  prepared.key_hash = TrackingCode::idempotencyKeyHash(req.idempotency_key, req.api_key);
  prepared.code = TrackingCode::generate(options_.tracking_code_length);
  prepared.code_hash = TrackingCode::hash(prepared.code, options_.tracking_key);
  prepared.code_sealed = TrackingCode::seal(prepared.code, req.idempotency_key);
  // Decoding and re-encoding photos is the heaviest part of an intake: done before a
  // connection is borrowed.
  prepared.evidence = prepareEvidence(req.evidence, prepared.evidence_errors);
  const auto calendar = calendar_.calendar();

  // Each attempt borrows its own connection and runs its own transaction. Intake is idempotent
  // under its idempotency key, so an attempt whose COMMIT was lost with the write node is
  // safe to repeat: it finds its own complaint and answers with it (on the next node after a
  // failover). A repeated attempt counts once more against the abuse limits; harmless.
  db::RetryPolicy retry;
  retry.on = db::RetryOn::ConflictsAndLostConnections;
  retry.max_attempts = options_.intake_retries + 1;
  retry.first_delay = std::chrono::milliseconds(50);
  return db::withRetry([&] { return submitAttempt(req, prepared, *calendar); }, retry);
}

IntakeResult ComplaintService::submitAttempt(const IntakeRequest& req,
                                             const PreparedIntake& prepared,
                                             const WorkingCalendar& cal) {
  IntakeResult result;
  const std::string& key_hash = prepared.key_hash;
  NewComplaint row;
  row.tracking_code_hash = prepared.code_hash;
  row.tracking_code_sealed = prepared.code_sealed;
  row.idempotency_key_hash = key_hash;
  const std::string& code = prepared.code;
  const std::vector<EvidenceFile>& evidence = prepared.evidence;
  const WorkingCalendar* calendar = &cal;
  auto conn = pool_.acquire();
  ComplaintStore store(*conn);

  std::optional<std::string> phone;
  std::vector<ComplaintAttachment> attachments;
  result.errors = validate(req, store, &phone, &attachments);
  result.errors.insert(result.errors.end(), prepared.evidence_errors.begin(),
                       prepared.evidence_errors.end());
  if (!result.errors.empty()) return result;

  const std::string fingerprint = intakeFingerprint(req, phone, attachments, evidence);
  auto replayHit = [&](const IdempotentHit& hit) {
    // The same key with another body is not a retry: never hand out that complaint's code.
    const auto stored = store.intakeFingerprint(hit.complaint_id);
    if (stored && *stored != fingerprint) {
      result.idempotency_conflict = true;
      return result;
    }
    const std::string replayed_code =
        TrackingCode::open(hit.tracking_code_sealed, req.idempotency_key).value_or("");
    result.registration = replay(store, hit.complaint_id, replayed_code);
    return result;
  };
  if (!req.idempotency_key_generated) {
    if (auto hit = store.findByIdempotencyKeyHash(key_hash)) return replayHit(*hit);
  }

  // Abuse limits, counted for every node in MariaDB; staff entries are not limited. A request
  // with an Open311 key is counted by its key (and phone), not by its address: an integrator
  // (a 12345 hotline system) posts for many citizens from one server.
  const bool staff_entry = req.channel == Channel::Phone || req.source != Source::Complaint;
  if (!staff_entry) {
    const std::string address = req.api_key.empty() ? req.client_address : std::string();
    if (auto refusal = limiter_.check(*conn, {address, phone.value_or(""), req.api_key})) {
      result.limited = refusal;
      return result;
    }
  }

  row.source = req.source;
  row.channel = req.channel;
  row.department_id = req.department_id;
  row.category = base::trim(req.category);
  row.description = base::trim(req.description);
  row.location = base::trim(req.location);
  row.latitude = req.latitude;
  row.longitude = req.longitude;
  row.complainant_name = nonEmpty(base::trim(req.complainant_name));
  row.complainant_phone = phone;
  row.operator_account = nonEmpty(base::trim(req.operator_account));
  row.ack_working_days = options_.ack_working_days;
  row.handling_working_days = options_.handling_working_days;

  for (;;) {
    try {
      int year = clock_.now().date.year();
      // One transaction, as few round trips as the store allows.
      db::Transaction tx(*conn);
      row.reg_seq = store.nextSequence(year, req.source);
      // Read the time only now, holding the sequence lock: numbers and receipt times then
      // follow the same order.
      const LocalTime now = clock_.now();
      if (now.date.year() != year) continue;  // midnight on New Year's Eve: take next year's
      row.reg_year = year;
      row.registration_no = format_.format(req.source, year, row.reg_seq);
      row.received_at = now.text;
      row.received_date = now.date;
      const Deadline ack = computeDeadline(*calendar, now.date, row.ack_working_days);
      const Deadline handling = computeDeadline(*calendar, now.date, row.handling_working_days);
      row.ack_due = ack.due;
      row.ack_due_provisional = ack.provisional;
      row.handling_due = handling.due;
      row.handling_due_provisional = handling.provisional;
      const std::int64_t id = store.insert(row);
      store.insertAttachments(id, attachments);
      store.insertEvidence(id, evidence);
      if (!req.idempotency_key_generated) store.insertIntakeFingerprint(id, fingerprint);

      NewEvent event;
      event.complaint_id = id;
      event.kind = EventKind::Registered;
      event.to_state = ComplaintState::Received;
      event.is_public = true;
      event.actor = row.operator_account.value_or(kComplainant);
      event.department_id = row.department_id;
      event.text = "登记渠道：" + std::string(channelName(row.channel));
      event.created_at = now.text;
      SmsEvent sms;
      sms.complaint_id = id;
      sms.event_id = store.appendEvent(event);
      sms.kind = event.kind;
      sms.is_public = event.is_public;
      sms.phone = row.complainant_phone;
      sms.registration_no = row.registration_no;
      sms.tracking_code = code;
      sms.now = now;
      enqueueSms(*conn, options_.sms, sms);
      tx.commit();

      Registration r;
      r.complaint_id = id;
      r.registration_no = row.registration_no;
      r.tracking_code = code;
      r.state = ComplaintState::Received;
      r.received_at = now.text;
      r.ack_deadline = ack;
      r.handling_deadline = handling;
      r.attachments = attachments;
      r.evidence_count = static_cast<int>(evidence.size());
      result.registration = std::move(r);
      return result;
    } catch (const db::DbError& e) {
      if (e.isDuplicateKey()) {
        // The same key committed meanwhile (a double click racing itself): answer like it.
        if (auto hit = store.findByIdempotencyKeyHash(key_hash)) return replayHit(*hit);
        throw;
      }
      throw;  // conflicts and lost connections: submit() runs a fresh attempt
    }
  }
}

ActionResult ComplaintService::apply(std::int64_t id, const std::optional<StaffActor>& actor,
                                     Action action, std::optional<int> expected_version,
                                     const Mutation& mutate) {
  return db::withRetry([&] { return applyOnce(id, actor, action, expected_version, mutate); });
}

ActionResult ComplaintService::applyOnce(std::int64_t id, const std::optional<StaffActor>& actor,
                                         Action action, std::optional<int> expected_version,
                                         const Mutation& mutate) {
  if (actor && base::trim(actor->account).empty()) {
    return refusal(ActionStatus::Forbidden, "未识别操作人员，请重新登录");
  }
  auto conn = pool_.acquire();
  ComplaintStore store(*conn);
  db::Transaction tx(*conn);
  std::optional<Complaint> c = store.find(id, true);
  if (!c) return refusal(ActionStatus::NotFound, "投诉不存在");
  if (expected_version && *expected_version != c->version) {
    // The same step posted again by the same person right after it was done: done, once.
    if (actor && *expected_version + 1 == c->version &&
        repeatsLastChange(store, *c, action, base::trim(actor->account), mutate)) {
      ActionResult done;
      done.state = c->state;
      done.version = c->version;
      return done;
    }
    return refusal(ActionStatus::Conflict, "该投诉已被他人更新，请刷新页面查看最新情况后再操作");
  }
  if (auto refused = checkAction(*c, action, actor)) {
    return refusal(
        refused->kind == RefusalKind::Forbidden ? ActionStatus::Forbidden : ActionStatus::Conflict,
        refused->message);
  }

  const LocalTime now = clock_.now();
  NewEvent event;
  event.complaint_id = c->id;
  event.from_state = c->state;
  event.actor = actor ? base::trim(actor->account) : kComplainant;
  event.department_id = c->department_id;
  event.created_at = now.text;

  ActionResult result;
  result.errors = mutate(*c, event, store);
  if (!result.errors.empty()) {
    result.status = ActionStatus::Invalid;
    return result;  // the transaction rolls back; it wrote nothing
  }
  event.to_state = c->state;
  c->updated_at = now.text;
  if (!store.update(*c)) {
    return refusal(ActionStatus::Conflict, "该投诉已被他人更新，请刷新页面查看最新情况后再操作");
  }
  queueSms(*conn, store, options_.sms, *c, event, store.appendEvent(event), now);
  tx.commit();
  result.state = c->state;
  result.version = c->version + 1;
  return result;
}

ActionResult ComplaintService::assign(std::int64_t id, const StaffActor& actor,
                                      std::int64_t department_id,
                                      std::optional<int> expected_version) {
  return apply(id, actor, Action::Assign, expected_version,
               [&](Complaint& c, NewEvent& e, ComplaintStore& store) {
                 std::vector<FieldError> errors;
                 if (!store.departmentName(department_id)) {
                   errors.push_back(fieldError("department_id", "所选部门不存在"));
                   return errors;
                 }
                 if (c.department_id == department_id) {
                   errors.push_back(fieldError("department_id", "该投诉已由所选部门承办"));
                   return errors;
                 }
                 if (c.transferred_from_department_id == department_id) {
                   // It would be a complaint "transferred" to its own sender, which may then
                   // neither refuse nor pass it on.
                   errors.push_back(fieldError(
                       "department_id", "该投诉正是所选部门移送出来的，不能改派回移送部门"));
                   return errors;
                 }
                 // (A transferred complaint stays transferred: its new department must
                 // handle it too, and the deadlines carry over.)
                 c.department_id = department_id;
                 e.kind = EventKind::Assigned;
                 e.is_public = true;
                 e.department_id = department_id;
                 return errors;
               });
}

ActionResult ComplaintService::accept(std::int64_t id, const StaffActor& actor,
                                      const std::string& public_note,
                                      std::optional<int> expected_version) {
  return apply(
      id, actor, Action::Accept, expected_version, [&](Complaint& c, NewEvent& e, ComplaintStore&) {
        std::vector<FieldError> errors;
        const std::string note =
            checkText(errors, "note", "受理说明", public_note, false, options_.max_note_chars);
        if (!errors.empty()) return errors;
        e.kind = EventKind::Accepted;
        e.is_public = true;
        e.text = nonEmpty(note);
        c.state = nextState(c.state, Action::Accept);
        c.acknowledged_on = clock_.now().date;
        return errors;
      });
}

ActionResult ComplaintService::reject(std::int64_t id, const StaffActor& actor,
                                      const std::string& reason_code,
                                      const std::string& reason_text,
                                      std::optional<int> expected_version) {
  return apply(id, actor, Action::Reject, expected_version,
               [&](Complaint& c, NewEvent& e, ComplaintStore& store) {
                 std::vector<FieldError> errors;
                 const std::string code = base::trim(reason_code);
                 if (code.empty()) {
                   errors.push_back(fieldError("reason_code", "请选择不予受理的理由"));
                 } else if (code.size() > 32 || !store.rejectReasonName(code)) {
                   errors.push_back(fieldError("reason_code", "所选不予受理理由不存在"));
                 }
                 const std::string text = checkText(errors, "reason_text", "不予受理的具体说明",
                                                    reason_text, true, options_.max_note_chars,
                                                    "请填写不予受理的具体说明，该说明将告知投诉人");
                 if (!errors.empty()) return errors;
                 c.state = nextState(c.state, Action::Reject);
                 c.acknowledged_on = clock_.now().date;
                 c.reject_reason_code = code;
                 c.reject_reason_text = text;
                 e.kind = EventKind::Rejected;
                 e.is_public = true;
                 e.reason_code = code;
                 e.text = text;
                 return errors;
               });
}

ActionResult ComplaintService::transfer(std::int64_t id, const StaffActor& actor,
                                        std::int64_t to_department_id, const std::string& reason,
                                        std::optional<int> expected_version) {
  return apply(id, actor, Action::Transfer, expected_version,
               [&](Complaint& c, NewEvent& e, ComplaintStore& store) {
                 std::vector<FieldError> errors;
                 if (c.department_id == to_department_id) {
                   errors.push_back(fieldError("department_id", "不能移送给本部门"));
                 } else if (!store.departmentName(to_department_id)) {
                   errors.push_back(fieldError("department_id", "移送的目标部门不存在"));
                 }
                 const std::string text =
                     checkText(errors, "reason", "移送理由", reason, true, options_.max_note_chars);
                 if (!errors.empty()) return errors;
                 // Deadlines stay as they are: the acknowledgment clock carries over.
                 c.transferred_from_department_id = c.department_id;
                 c.department_id = to_department_id;
                 c.transferred_at = clock_.now().text;
                 c.transfer_reason = text;
                 c.state = nextState(c.state, Action::Transfer);
                 e.kind = EventKind::Transferred;
                 e.is_public = true;
                 e.department_id = to_department_id;
                 e.text = text;
                 return errors;
               });
}

ActionResult ComplaintService::start(std::int64_t id, const StaffActor& actor,
                                     const std::string& public_note,
                                     std::optional<int> expected_version) {
  return apply(
      id, actor, Action::Start, expected_version, [&](Complaint& c, NewEvent& e, ComplaintStore&) {
        std::vector<FieldError> errors;
        const std::string note =
            checkText(errors, "note", "办理说明", public_note, false, options_.max_note_chars);
        if (!errors.empty()) return errors;
        c.state = nextState(c.state, Action::Start);
        e.kind = EventKind::Started;
        e.is_public = true;
        e.text = nonEmpty(note);
        return errors;
      });
}

ActionResult ComplaintService::addNote(std::int64_t id, const StaffActor& actor,
                                       const std::string& text, std::optional<bool> is_public,
                                       std::optional<int> expected_version) {
  return apply(id, actor, Action::Note, expected_version,
               [&](Complaint&, NewEvent& e, ComplaintStore&) {
                 std::vector<FieldError> errors;
                 const std::string note =
                     checkText(errors, "text", "办理记录", text, true, options_.max_note_chars);
                 if (!is_public) {
                   errors.push_back(fieldError("is_public", "请选择该记录是否向投诉人公开"));
                 }
                 if (!errors.empty()) return errors;
                 e.kind = EventKind::Note;
                 e.is_public = *is_public;
                 e.text = note;
                 return errors;
               });
}

ActionResult ComplaintService::conclude(std::int64_t id, const StaffActor& actor,
                                        const std::string& result_text,
                                        std::optional<int> expected_version) {
  return apply(id, actor, Action::Conclude, expected_version,
               [&](Complaint& c, NewEvent& e, ComplaintStore&) {
                 std::vector<FieldError> errors;
                 const std::string text =
                     checkText(errors, "result", "办理结果", result_text, true,
                               options_.max_note_chars, "请填写办理结果，该结果将告知投诉人");
                 if (!errors.empty()) return errors;
                 c.state = nextState(c.state, Action::Conclude);
                 c.result_text = text;
                 c.concluded_on = clock_.now().date;
                 c.evaluation.reset();
                 c.evaluation_comment.reset();
                 c.evaluated_at.reset();
                 e.kind = EventKind::Concluded;
                 e.is_public = true;
                 e.text = text;
                 return errors;
               });
}

ActionResult ComplaintService::applyEvaluation(std::int64_t id,
                                               const std::optional<StaffActor>& actor,
                                               Rating rating, const std::string& comment,
                                               std::optional<int> expected_version) {
  return apply(id, actor, Action::Evaluate, expected_version,
               [&](Complaint& c, NewEvent& e, ComplaintStore&) {
                 std::vector<FieldError> errors;
                 const std::string text = checkText(
                     errors, "comment", "评价意见", comment, rating == Rating::Unsatisfied,
                     options_.max_note_chars, "请说明不满意的原因，法制办将据此复核");
                 if (!errors.empty()) return errors;
                 c.state = nextState(c.state, Action::Evaluate, rating);
                 c.evaluation = rating;
                 c.evaluation_comment = nonEmpty(text);
                 c.evaluated_at = clock_.now().text;
                 if (rating == Rating::Unsatisfied) {
                   ++c.reopened_count;
                   // The review clock starts: working days from the day after reopening.
                   const CivilDate today = clock_.now().date;
                   const Deadline review = computeDeadline(*calendar_.calendar(), today,
                                                           options_.review_working_days);
                   c.reopened_on = today;
                   c.review_working_days = options_.review_working_days;
                   c.review_due = review.due;
                   c.review_due_provisional = review.provisional;
                 }
                 e.kind =
                     rating == Rating::Unsatisfied ? EventKind::Reopened : EventKind::Evaluated;
                 e.is_public = true;
                 e.reason_code = std::string(ratingCode(rating));
                 e.text = nonEmpty(text);
                 return errors;
               });
}

ActionResult ComplaintService::evaluate(const std::string& registration_no,
                                        const std::string& tracking_code, Rating rating,
                                        const std::string& comment) {
  std::optional<db::Lease> conn;
  const std::optional<std::int64_t> id =
      matchTracking(registration_no, TrackingCode::normalize(tracking_code), conn);
  conn.reset();
  if (!id) return refusal(ActionStatus::NotFound, "查询编号或查询码不正确");
  return applyEvaluation(*id, std::nullopt, rating, comment, std::nullopt);
}

ActionResult ComplaintService::recordEvaluation(std::int64_t id, const StaffActor& actor,
                                                Rating rating, const std::string& comment,
                                                std::optional<int> expected_version) {
  return applyEvaluation(id, actor, rating, comment, expected_version);
}

std::optional<std::int64_t> ComplaintService::matchTracking(const std::string& registration_no,
                                                            const std::string& code,
                                                            std::optional<db::Lease>& conn) {
  conn.emplace(pool_.acquire());
  const auto secret =
      ComplaintStore(**conn).trackingSecret(normalizeRegistrationNo(registration_no, format_));
  const std::string& stored = secret ? secret->tracking_code_hash : decoy_hash_;
  // A keyed hash is checked in microseconds; a legacy argon2id hash takes tens of
  // milliseconds of CPU, done with the connection back in the pool.
  const bool keyed = stored.rfind("$argon2id$", 0) != 0;
  if (!keyed) conn.reset();
  const TrackingCode::Match match = TrackingCode::verify(stored, code, options_.tracking_key);
  if (!secret || match == TrackingCode::Match::No) return std::nullopt;
  if (!conn) conn.emplace(pool_.acquire());
  if (match == TrackingCode::Match::YesLegacy) {
    ComplaintStore(**conn).replaceTrackingHash(secret->complaint_id, stored,
                                               TrackingCode::hash(code, options_.tracking_key));
  }
  return secret->complaint_id;
}

std::optional<TrackingView> ComplaintService::track(const std::string& registration_no,
                                                    const std::string& tracking_code) {
  std::optional<db::Lease> conn;
  const std::optional<std::int64_t> id =
      matchTracking(registration_no, TrackingCode::normalize(tracking_code), conn);
  if (!id) return std::nullopt;
  ComplaintStore store(**conn);
  const std::optional<Complaint> c = store.find(*id);
  if (!c) return std::nullopt;
  const auto calendar = calendar_.calendar();
  TrackingView v;
  v.registration_no = c->registration_no;
  v.state = c->state;
  v.state_name = std::string(stateName(c->state));
  v.category_name = c->category_name;
  v.department_name = c->department_name;
  v.location = c->location;
  v.received_at = c->received_at;
  v.ack_deadline = computeDeadline(*calendar, c->received_date, c->ack_working_days);
  v.handling_deadline = computeDeadline(*calendar, c->received_date, c->handling_working_days);
  v.acknowledged_on = c->acknowledged_on;
  v.concluded_on = c->concluded_on;
  if (c->reopened_on && c->review_working_days > 0) {
    v.review_deadline =
        computeDeadline(*calendar, *c->reopened_on, c->review_working_days, "转复核");
  }
  v.clock = runningClock(*c);
  if (c->state == ComplaintState::Rejected) {
    v.reject_reason_name = c->reject_reason_name;
    v.reject_reason_text = c->reject_reason_text.value_or("");
  }
  v.result_text = c->result_text.value_or("");
  v.evaluation = c->evaluation;
  v.can_evaluate = c->state == ComplaintState::Concluded;
  v.attachment_count = store.attachmentCount(c->id);
  v.evidence_count = store.evidenceCount(c->id);
  for (const ComplaintEvent& e : store.events(c->id, true)) {
    TimelineEntry t;
    t.at = e.created_at;
    t.kind = e.kind;
    t.title = eventTitle(e, c->reject_reason_name);
    t.text = e.text;
    v.timeline.push_back(std::move(t));
  }
  return v;
}

std::optional<ComplaintDetail> ComplaintService::buildDetail(ComplaintStore& store,
                                                             const Complaint& c,
                                                             const StaffActor& actor) {
  if (!visibleTo(c, actor)) return std::nullopt;
  const auto calendar = calendar_.calendar();
  ComplaintDetail d;
  d.complaint = c;
  if (c.complainant_phone) d.complaint.complainant_phone = maskPhone(*c.complainant_phone);
  d.ack_deadline = computeDeadline(*calendar, c.received_date, c.ack_working_days);
  d.handling_deadline = computeDeadline(*calendar, c.received_date, c.handling_working_days);
  const CivilDate today = clock_.now().date;
  if (c.reopened_on && c.review_working_days > 0) {
    d.review_deadline =
        computeDeadline(*calendar, *c.reopened_on, c.review_working_days, "转复核");
  }
  d.clock = runningClock(c);
  switch (d.clock) {
    case RunningClock::Acknowledgment:
      d.overdue = today > c.ack_due;
      break;
    case RunningClock::Handling:
      d.overdue = today > c.handling_due;
      break;
    case RunningClock::Review:
      d.overdue = c.review_due && today > *c.review_due;
      break;
    case RunningClock::None:
      break;
  }
  d.events = store.events(c.id, false);
  d.attachments = store.attachments(c.id);
  d.evidence_visible = handles(c, actor);
  d.personal_visible = handles(c, actor);
  if (!d.personal_visible) {
    d.complaint.complainant_name.reset();
    d.complaint.complainant_phone.reset();
    d.complaint.evaluation_comment.reset();
    d.attachments.clear();  // the complainant's file names and descriptions
    // Its own records up to the transfer (events come in the order they were written), and
    // what the public sees after it.
    std::vector<ComplaintEvent> kept;
    bool handed_over = false;
    for (auto& e : d.events) {
      const bool transfer = e.kind == EventKind::Transferred;
      if (!handed_over || e.is_public) kept.push_back(std::move(e));
      handed_over = handed_over || transfer;
    }
    d.events = std::move(kept);
  }
  if (d.evidence_visible) d.evidence = store.evidence(c.id);
  d.evidence_count = d.evidence_visible ? static_cast<int>(d.evidence.size())
                                        : store.evidenceCount(c.id);
  for (Action a : {Action::Assign, Action::Accept, Action::Reject, Action::Transfer, Action::Start,
                   Action::Note, Action::Conclude, Action::Evaluate}) {
    if (!checkAction(c, a, actor)) d.allowed_actions.push_back(a);
  }
  return d;
}

std::optional<ComplaintDetail> ComplaintService::detail(std::int64_t id, const StaffActor& actor) {
  auto conn = pool_.acquire();
  ComplaintStore store(*conn);
  const auto c = store.find(id);
  if (!c) return std::nullopt;
  return buildDetail(store, *c, actor);
}

std::optional<ComplaintDetail> ComplaintService::detailByNumber(const std::string& registration_no,
                                                                const StaffActor& actor) {
  auto conn = pool_.acquire();
  ComplaintStore store(*conn);
  const auto c = store.findByRegistrationNo(normalizeRegistrationNo(registration_no, format_));
  if (!c) return std::nullopt;
  return buildDetail(store, *c, actor);
}

std::optional<std::string> ComplaintService::revealPhone(std::int64_t id, const StaffActor& actor) {
  if (base::trim(actor.account).empty()) return std::nullopt;
  auto conn = pool_.acquire();
  ComplaintStore store(*conn);
  db::Transaction tx(*conn);
  const auto c = store.find(id);
  if (!c || !handles(*c, actor) || !c->complainant_phone) return std::nullopt;
  NewEvent e;
  e.complaint_id = c->id;
  e.kind = EventKind::PhoneRevealed;
  e.is_public = false;
  e.actor = base::trim(actor.account);
  e.department_id = actor.department_id;
  e.created_at = clock_.now().text;
  store.appendEvent(e);
  tx.commit();
  return c->complainant_phone;
}

std::optional<EvidenceContent> ComplaintService::evidenceFile(std::int64_t id, int ordinal,
                                                              const StaffActor& actor) {
  if (ordinal < 1 || ordinal > static_cast<int>(kMaxEvidenceFiles)) return std::nullopt;
  auto conn = pool_.acquire();
  ComplaintStore store(*conn);
  const auto c = store.find(id);
  if (!c) return std::nullopt;
  // The handling department and the legal office; not a department that transferred it away.
  if (!handles(*c, actor)) return std::nullopt;
  return store.evidenceContent(id, ordinal);
}

QueuePage ComplaintService::queue(QueueFilter filter) {
  filter.page = std::max(filter.page, 1);
  filter.page_size = std::clamp(filter.page_size, 1, 200);
  filter.registration_no = normalizeRegistrationNo(filter.registration_no, format_);
  const CivilDate today = clock_.now().date;
  const CivilDate monday = today.addDays(1 - static_cast<int>(today.weekday()));
  auto conn = pool_.acquire();
  QueuePage page = ComplaintStore(*conn).queue(filter, today, monday, monday.addDays(6));
  for (QueueRow& row : page.rows) {
    if (!row.masked_phone.empty()) row.masked_phone = maskPhone(row.masked_phone);
  }
  return page;
}

std::vector<PublicRequest> ComplaintService::publicRequests(PublicRequestFilter filter) {
  filter.limit = std::clamp(filter.limit, 1, 1000);
  for (std::string& n : filter.registration_nos) n = normalizeRegistrationNo(n, format_);
  auto conn = pool_.acquire();
  std::vector<PublicRequest> out = ComplaintStore(*conn).publicRequests(filter);
  for (PublicRequest& p : out) {
    switch (hotline::runningClock(p.state, p.review_due.has_value())) {
      // GeoReport v2's expected_datetime is when the request "can be expected to be
      // fulfilled": before acceptance too that is the handling deadline (provisional until
      // accepted), not the acknowledgment one.
      case RunningClock::Acknowledgment:
      case RunningClock::Handling:
        p.expected_due = p.handling_due;
        p.expected_due_provisional = p.handling_due_provisional;
        break;
      case RunningClock::Review:
        p.expected_due = p.review_due;
        p.expected_due_provisional = p.review_due_provisional;
        break;
      case RunningClock::None:
        break;
    }
  }
  return out;
}

Statistics ComplaintService::statistics(const CivilDate& from, const CivilDate& to,
                                        std::optional<std::int64_t> department) {
  auto conn = pool_.acquire();
  ComplaintStore store(*conn);
  Statistics s;
  s.from = from;
  s.to = to;
  s.by_department_month_state = store.stateCounts(from, to);
  s.by_department = store.departmentStatistics(from, to, clock_.now().date);
  if (department) {
    const auto other = [&department](const auto& row) { return row.department_id != department; };
    auto& cells = s.by_department_month_state;
    cells.erase(std::remove_if(cells.begin(), cells.end(), other), cells.end());
    auto& rows = s.by_department;
    rows.erase(std::remove_if(rows.begin(), rows.end(), other), rows.end());
  }
  DepartmentStatistics total;
  total.department_name = "合计";
  auto share = [](DepartmentStatistics& d) {
    const std::int64_t due = d.acknowledged + d.ack_overdue_open;
    d.on_time_share = due == 0 ? 1.0 : static_cast<double>(d.acknowledged_on_time) / due;
  };
  for (DepartmentStatistics& d : s.by_department) {
    if (!d.department_id) d.department_name = "待分派";
    share(d);
    total.received += d.received;
    total.acknowledged += d.acknowledged;
    total.acknowledged_on_time += d.acknowledged_on_time;
    total.ack_overdue_open += d.ack_overdue_open;
    total.handling_overdue_open += d.handling_overdue_open;
    total.concluded += d.concluded;
    total.unsatisfied += d.unsatisfied;
  }
  share(total);
  s.by_department.push_back(total);
  s.by_month = monthRows(s.by_department_month_state);
  return s;
}

std::vector<CodeName> ComplaintService::categories() {
  auto conn = pool_.acquire();
  return ComplaintStore(*conn).categories();
}

std::vector<CodeName> ComplaintService::rejectReasons() {
  auto conn = pool_.acquire();
  return ComplaintStore(*conn).rejectReasons();
}

std::vector<DepartmentRef> ComplaintService::departments() {
  auto conn = pool_.acquire();
  return ComplaintStore(*conn).departments();
}

}  // namespace hotline
