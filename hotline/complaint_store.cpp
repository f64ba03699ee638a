#include "hotline/complaint_store.h"

#include <set>
#include <string>
#include <utility>

#include "base/escape.h"

namespace hotline {
namespace {

constexpr const char* kSelectComplaint =
    "SELECT c.id, c.registration_no, c.source, c.channel, c.department_id, "
    "COALESCE(d.name, '') AS department_name, c.category, cat.name AS category_name, "
    "c.description, c.location, c.latitude, c.longitude, c.complainant_name, "
    "c.complainant_phone, c.operator_account, c.state, c.version, "
    "DATE_FORMAT(c.received_at, '%Y-%m-%d %H:%i:%s') AS received_at, "
    "DATE_FORMAT(c.received_date, '%Y-%m-%d') AS received_date, c.ack_working_days, "
    "DATE_FORMAT(c.ack_due, '%Y-%m-%d') AS ack_due, c.ack_due_provisional, "
    "DATE_FORMAT(c.acknowledged_on, '%Y-%m-%d') AS acknowledged_on, c.handling_working_days, "
    "DATE_FORMAT(c.handling_due, '%Y-%m-%d') AS handling_due, c.handling_due_provisional, "
    "c.transferred_from_department_id, COALESCE(fd.name, '') AS transferred_from_name, "
    "DATE_FORMAT(c.transferred_at, '%Y-%m-%d %H:%i:%s') AS transferred_at, c.transfer_reason, "
    "c.reject_reason_code, COALESCE(rr.name, '') AS reject_reason_name, c.reject_reason_text, "
    "c.result_text, DATE_FORMAT(c.concluded_on, '%Y-%m-%d') AS concluded_on, c.evaluation, "
    "c.evaluation_comment, DATE_FORMAT(c.evaluated_at, '%Y-%m-%d %H:%i:%s') AS evaluated_at, "
    "c.reopened_count, DATE_FORMAT(c.reopened_on, '%Y-%m-%d') AS reopened_on, "
    "c.review_working_days, DATE_FORMAT(c.review_due, '%Y-%m-%d') AS review_due, "
    "c.review_due_provisional, DATE_FORMAT(c.updated_at, '%Y-%m-%d %H:%i:%s') AS updated_at "
    "FROM complaints c JOIN complaint_categories cat ON cat.code = c.category "
    "LEFT JOIN departments d ON d.id = c.department_id "
    "LEFT JOIN departments fd ON fd.id = c.transferred_from_department_id "
    "LEFT JOIN reject_reasons rr ON rr.code = c.reject_reason_code ";

CivilDate dateOf(const std::string& text) { return CivilDate::parse(text).value_or(CivilDate()); }

std::optional<CivilDate> optDate(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return CivilDate::parse(*text);
}

std::optional<double> optDouble(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return std::stod(*text);
}

std::optional<std::string> optDateText(const std::optional<CivilDate>& date) {
  if (!date) return std::nullopt;
  return date->toString();
}

Complaint readComplaint(const db::Rows& r) {
  Complaint c;
  c.id = r.i64("id");
  c.registration_no = r.str("registration_no");
  c.source = parseSource(r.str("source")).value_or(Source::Complaint);
  c.channel = parseChannel(r.str("channel")).value_or(Channel::Web);
  c.department_id = r.optI64("department_id");
  c.department_name = r.str("department_name");
  c.category = r.str("category");
  c.category_name = r.str("category_name");
  c.description = r.str("description");
  c.location = r.str("location");
  c.latitude = optDouble(r.optStr("latitude"));
  c.longitude = optDouble(r.optStr("longitude"));
  c.complainant_name = r.optStr("complainant_name");
  c.complainant_phone = r.optStr("complainant_phone");
  c.operator_account = r.optStr("operator_account");
  c.state = parseState(r.str("state")).value_or(ComplaintState::Received);
  c.version = static_cast<int>(r.i64("version"));
  c.received_at = r.str("received_at");
  c.received_date = dateOf(r.str("received_date"));
  c.ack_working_days = static_cast<int>(r.i64("ack_working_days"));
  c.ack_due = dateOf(r.str("ack_due"));
  c.ack_due_provisional = r.i64("ack_due_provisional") != 0;
  c.acknowledged_on = optDate(r.optStr("acknowledged_on"));
  c.handling_working_days = static_cast<int>(r.i64("handling_working_days"));
  c.handling_due = dateOf(r.str("handling_due"));
  c.handling_due_provisional = r.i64("handling_due_provisional") != 0;
  c.transferred_from_department_id = r.optI64("transferred_from_department_id");
  c.transferred_from_department_name = r.str("transferred_from_name");
  c.transferred_at = r.optStr("transferred_at");
  c.transfer_reason = r.optStr("transfer_reason");
  c.reject_reason_code = r.optStr("reject_reason_code");
  c.reject_reason_name = r.str("reject_reason_name");
  c.reject_reason_text = r.optStr("reject_reason_text");
  c.result_text = r.optStr("result_text");
  c.concluded_on = optDate(r.optStr("concluded_on"));
  if (auto e = r.optStr("evaluation")) c.evaluation = parseRating(*e);
  c.evaluation_comment = r.optStr("evaluation_comment");
  c.evaluated_at = r.optStr("evaluated_at");
  c.reopened_count = static_cast<int>(r.i64("reopened_count"));
  c.reopened_on = optDate(r.optStr("reopened_on"));
  c.review_working_days = static_cast<int>(r.i64("review_working_days"));
  c.review_due = optDate(r.optStr("review_due"));
  c.review_due_provisional = r.i64("review_due_provisional") != 0;
  c.updated_at = r.str("updated_at");
  return c;
}

std::optional<std::string> optStateCode(const std::optional<ComplaintState>& s) {
  if (!s) return std::nullopt;
  return std::string(stateCode(*s));
}

}  // namespace

std::int64_t ComplaintStore::nextSequence(int year, Source source) {
  // INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING returns the row as updated (MariaDB 10.5+).
  // On the existing row (every complaint but a year's first) InnoDB takes only the record lock
  // of the primary key, no gap lock; the year's first complaint may meet a concurrent first and
  // deadlock, which the intake's retry absorbs.
  db::Rows r = conn_.query(
      "INSERT INTO registration_sequences (year, source, last_number) VALUES (?, ?, 1) "
      "ON DUPLICATE KEY UPDATE last_number = last_number + 1 RETURNING last_number",
      year, sourceCode(source));
  if (!r.next()) throw db::DbError("registration sequence: no row returned");
  return r.i64("last_number");
}

std::int64_t ComplaintStore::insert(const NewComplaint& c) {
  return conn_.insertReturningId(
      "INSERT INTO complaints (registration_no, source, reg_year, reg_seq, channel, "
      "department_id, category, description, location, latitude, longitude, complainant_name, "
      "complainant_phone, tracking_code_hash, tracking_code_sealed, idempotency_key_hash, "
      "operator_account, state, version, received_at, received_date, ack_working_days, ack_due, "
      "ack_due_provisional, handling_working_days, handling_due, handling_due_provisional, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?)",
      c.registration_no, sourceCode(c.source), c.reg_year, c.reg_seq, channelCode(c.channel),
      c.department_id, c.category, c.description, c.location, c.latitude, c.longitude,
      c.complainant_name, c.complainant_phone, c.tracking_code_hash, c.tracking_code_sealed,
      c.idempotency_key_hash, c.operator_account, stateCode(ComplaintState::Received),
      c.received_at, c.received_date.toString(), c.ack_working_days, c.ack_due.toString(),
      c.ack_due_provisional, c.handling_working_days, c.handling_due.toString(),
      c.handling_due_provisional, c.received_at);
}

void ComplaintStore::insertAttachments(std::int64_t complaint_id,
                                       const std::vector<ComplaintAttachment>& attachments) {
  int ordinal = 0;
  for (const ComplaintAttachment& a : attachments) {
    conn_.execute(
        "INSERT INTO complaint_attachments (complaint_id, ordinal, kind, file_name, description) "
        "VALUES (?, ?, ?, ?, ?)",
        complaint_id, ++ordinal, attachmentKindCode(a.kind), a.file_name, a.description);
  }
}

std::vector<ComplaintAttachment> ComplaintStore::attachments(std::int64_t complaint_id) {
  db::Rows r = conn_.query(
      "SELECT kind, file_name, description FROM complaint_attachments WHERE complaint_id = ? "
      "ORDER BY ordinal",
      complaint_id);
  std::vector<ComplaintAttachment> out;
  while (r.next()) {
    ComplaintAttachment a;
    a.kind = parseAttachmentKind(r.str("kind")).value_or(AttachmentKind::Other);
    a.file_name = r.str("file_name");
    a.description = r.str("description");
    out.push_back(std::move(a));
  }
  return out;
}

int ComplaintStore::attachmentCount(std::int64_t complaint_id) {
  db::Rows r = conn_.query("SELECT COUNT(*) AS n FROM complaint_attachments WHERE complaint_id = ?",
                           complaint_id);
  r.next();
  return static_cast<int>(r.i64("n"));
}

namespace {
EvidenceType evidenceTypeFromCode(const std::string& code) {
  for (EvidenceType t :
       {EvidenceType::Jpeg, EvidenceType::Png, EvidenceType::Heic, EvidenceType::Pdf}) {
    if (evidenceTypeCode(t) == code) return t;
  }
  return EvidenceType::Pdf;
}

EvidenceInfo evidenceInfo(const db::Rows& r) {
  EvidenceInfo e;
  e.ordinal = static_cast<int>(r.i64("ordinal"));
  e.original_name = r.str("original_name");
  e.original_type = evidenceTypeFromCode(r.str("original_type"));
  e.media_type = r.str("media_type");
  e.byte_size = r.i64("byte_size");
  e.width = static_cast<int>(r.i64("width"));
  e.height = static_cast<int>(r.i64("height"));
  return e;
}
}  // namespace

void ComplaintStore::insertEvidence(std::int64_t complaint_id,
                                    const std::vector<EvidenceFile>& files) {
  int ordinal = 0;
  for (const EvidenceFile& f : files) {
    conn_.execute(
        "INSERT INTO complaint_evidence_files (complaint_id, ordinal, media_type, original_name, "
        "original_type, byte_size, width, height, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        complaint_id, ++ordinal, f.media_type, f.original_name, evidenceTypeCode(f.original_type),
        static_cast<std::int64_t>(f.content.size()),
        f.width > 0 ? std::optional<std::int64_t>(f.width) : std::nullopt,
        f.height > 0 ? std::optional<std::int64_t>(f.height) : std::nullopt, f.content);
  }
}

std::vector<EvidenceInfo> ComplaintStore::evidence(std::int64_t complaint_id) {
  db::Rows r = conn_.query(
      "SELECT ordinal, original_name, original_type, media_type, byte_size, width, height "
      "FROM complaint_evidence_files WHERE complaint_id = ? ORDER BY ordinal",
      complaint_id);
  std::vector<EvidenceInfo> out;
  while (r.next()) out.push_back(evidenceInfo(r));
  return out;
}

int ComplaintStore::evidenceCount(std::int64_t complaint_id) {
  db::Rows r = conn_.query(
      "SELECT COUNT(*) AS n FROM complaint_evidence_files WHERE complaint_id = ?", complaint_id);
  r.next();
  return static_cast<int>(r.i64("n"));
}

std::optional<EvidenceContent> ComplaintStore::evidenceContent(std::int64_t complaint_id,
                                                               int ordinal) {
  db::Rows r = conn_.query(
      "SELECT e.ordinal, e.original_name, e.original_type, e.media_type, e.byte_size, e.width, "
      "e.height, e.content, c.registration_no FROM complaint_evidence_files e "
      "JOIN complaints c ON c.id = e.complaint_id WHERE e.complaint_id = ? AND e.ordinal = ?",
      complaint_id, ordinal);
  if (!r.next()) return std::nullopt;
  EvidenceContent out;
  out.info = evidenceInfo(r);
  out.registration_no = r.str("registration_no");
  out.content = r.str("content");
  return out;
}

std::optional<IdempotentHit> ComplaintStore::findByIdempotencyKeyHash(const std::string& hash) {
  db::Rows r = conn_.query(
      "SELECT id, tracking_code_sealed FROM complaints WHERE idempotency_key_hash = ?", hash);
  if (!r.next()) return std::nullopt;
  return IdempotentHit{r.i64("id"), r.str("tracking_code_sealed")};
}

std::optional<Complaint> ComplaintStore::find(std::int64_t id, bool for_update) {
  std::optional<std::int64_t> locked_version;
  if (for_update) {
    // Lock the complaint row alone: a FOR UPDATE on the joined query would also lock the
    // department, category and reason rows and serialise unrelated complaints.
    db::Rows lock = conn_.query("SELECT version FROM complaints WHERE id = ? FOR UPDATE", id);
    if (!lock.next()) return std::nullopt;
    locked_version = lock.i64("version");
  }
  db::Rows r = conn_.query(std::string(kSelectComplaint) + "WHERE c.id = ?", id);
  if (!r.next()) return std::nullopt;
  Complaint c = readComplaint(r);
  // The consistent read's snapshot starts after the lock when the lock is the transaction's
  // first read; anything else is a programming error that would hide a concurrent change.
  if (locked_version && *locked_version != c.version) {
    throw db::DbError("complaint " + std::to_string(id) + " read from a stale snapshot");
  }
  return c;
}

std::optional<Complaint> ComplaintStore::findByRegistrationNo(const std::string& registration_no) {
  db::Rows r =
      conn_.query(std::string(kSelectComplaint) + "WHERE c.registration_no = ?", registration_no);
  if (!r.next()) return std::nullopt;
  return readComplaint(r);
}

std::optional<TrackingSecret> ComplaintStore::trackingSecret(const std::string& registration_no) {
  db::Rows r = conn_.query(
      "SELECT id, tracking_code_hash FROM complaints WHERE registration_no = ?", registration_no);
  if (!r.next()) return std::nullopt;
  return TrackingSecret{r.i64("id"), r.str("tracking_code_hash")};
}

void ComplaintStore::replaceTrackingHash(std::int64_t id, const std::string& old_hash,
                                         const std::string& new_hash) {
  conn_.execute(
      "UPDATE complaints SET tracking_code_hash = ? WHERE id = ? AND tracking_code_hash = ?",
      new_hash, id, old_hash);
}

bool ComplaintStore::update(const Complaint& c) {
  std::optional<std::string> evaluation;
  if (c.evaluation) evaluation = std::string(ratingCode(*c.evaluation));
  const std::uint64_t changed = conn_.execute(
      "UPDATE complaints SET department_id = ?, state = ?, version = version + 1, "
      "acknowledged_on = ?, ack_due = ?, ack_due_provisional = ?, handling_due = ?, "
      "handling_due_provisional = ?, transferred_from_department_id = ?, transferred_at = ?, "
      "transfer_reason = ?, reject_reason_code = ?, reject_reason_text = ?, result_text = ?, "
      "concluded_on = ?, evaluation = ?, evaluation_comment = ?, evaluated_at = ?, "
      "reopened_count = ?, reopened_on = ?, review_working_days = ?, review_due = ?, "
      "review_due_provisional = ?, updated_at = ? WHERE id = ? AND version = ?",
      c.department_id, stateCode(c.state), optDateText(c.acknowledged_on), c.ack_due.toString(),
      c.ack_due_provisional, c.handling_due.toString(), c.handling_due_provisional,
      c.transferred_from_department_id, c.transferred_at, c.transfer_reason, c.reject_reason_code,
      c.reject_reason_text, c.result_text, optDateText(c.concluded_on), evaluation,
      c.evaluation_comment, c.evaluated_at, c.reopened_count, optDateText(c.reopened_on),
      c.review_working_days > 0 ? std::optional<std::int64_t>(c.review_working_days)
                                : std::nullopt,
      optDateText(c.review_due), c.review_due_provisional, c.updated_at, c.id, c.version);
  return changed == 1;
}

std::int64_t ComplaintStore::appendEvent(const NewEvent& e) {
  return conn_.insertReturningId(
      "INSERT INTO complaint_events (complaint_id, kind, from_state, to_state, is_public, actor, "
      "department_id, reason_code, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      e.complaint_id, eventKindCode(e.kind), optStateCode(e.from_state), optStateCode(e.to_state),
      e.is_public, e.actor, e.department_id, e.reason_code, e.text, e.created_at);
}

std::vector<ComplaintEvent> ComplaintStore::events(std::int64_t complaint_id, bool public_only) {
  db::Rows r = conn_.query(
      "SELECT e.id, e.kind, e.from_state, e.to_state, e.is_public, e.actor, e.department_id, "
      "COALESCE(d.name, '') AS department_name, e.reason_code, e.text, "
      "DATE_FORMAT(e.created_at, '%Y-%m-%d %H:%i:%s') AS created_at "
      "FROM complaint_events e LEFT JOIN departments d ON d.id = e.department_id "
      "WHERE e.complaint_id = ? AND (? = 0 OR e.is_public = 1) ORDER BY e.id",
      complaint_id, public_only);
  std::vector<ComplaintEvent> out;
  while (r.next()) {
    ComplaintEvent e;
    e.id = r.i64("id");
    e.kind = parseEventKind(r.str("kind")).value_or(EventKind::Note);
    if (auto s = r.optStr("from_state")) e.from_state = parseState(*s);
    if (auto s = r.optStr("to_state")) e.to_state = parseState(*s);
    e.is_public = r.i64("is_public") != 0;
    e.actor = r.str("actor");
    e.department_id = r.optI64("department_id");
    e.department_name = r.str("department_name");
    e.reason_code = r.str("reason_code");
    e.text = r.str("text");
    e.created_at = r.str("created_at");
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<ProvisionalDeadlines> ComplaintStore::provisionalForUpdate() {
  db::Rows r = conn_.query(
      "SELECT id, DATE_FORMAT(received_date, '%Y-%m-%d') AS received_date, ack_working_days, "
      "DATE_FORMAT(ack_due, '%Y-%m-%d') AS ack_due, ack_due_provisional, handling_working_days, "
      "DATE_FORMAT(handling_due, '%Y-%m-%d') AS handling_due, handling_due_provisional, "
      "DATE_FORMAT(reopened_on, '%Y-%m-%d') AS reopened_on, review_working_days, "
      "DATE_FORMAT(review_due, '%Y-%m-%d') AS review_due, review_due_provisional "
      "FROM complaints WHERE ack_due_provisional = 1 OR handling_due_provisional = 1 "
      "OR review_due_provisional = 1 "
      "ORDER BY id FOR UPDATE");
  std::vector<ProvisionalDeadlines> out;
  while (r.next()) {
    ProvisionalDeadlines p;
    p.id = r.i64("id");
    p.received_date = dateOf(r.str("received_date"));
    p.ack_working_days = static_cast<int>(r.i64("ack_working_days"));
    p.ack_due = dateOf(r.str("ack_due"));
    p.ack_due_provisional = r.i64("ack_due_provisional") != 0;
    p.handling_working_days = static_cast<int>(r.i64("handling_working_days"));
    p.handling_due = dateOf(r.str("handling_due"));
    p.handling_due_provisional = r.i64("handling_due_provisional") != 0;
    p.reopened_on = optDate(r.optStr("reopened_on"));
    p.review_working_days = static_cast<int>(r.i64("review_working_days"));
    p.review_due = optDate(r.optStr("review_due"));
    p.review_due_provisional = r.i64("review_due_provisional") != 0;
    out.push_back(p);
  }
  return out;
}

void ComplaintStore::updateDeadlines(const ProvisionalDeadlines& d) {
  conn_.execute(
      "UPDATE complaints SET ack_due = ?, ack_due_provisional = ?, handling_due = ?, "
      "handling_due_provisional = ?, review_due = ?, review_due_provisional = ?, "
      "version = version + 1 WHERE id = ?",
      d.ack_due.toString(), d.ack_due_provisional, d.handling_due.toString(),
      d.handling_due_provisional, optDateText(d.review_due), d.review_due_provisional, d.id);
}

// The review clock runs from the 不满意 that reopened a complaint until it is concluded again
// (a reviewer may start work on it: in_progress keeps the review clock).
#define REVIEW_RUNNING \
  "(c.review_due IS NOT NULL AND c.state IN ('reopened', 'accepted', 'in_progress'))"

QueuePage ComplaintStore::queue(const QueueFilter& f, const CivilDate& today,
                                const CivilDate& week_start, const CivilDate& week_end) {
  // The running clock's due date, computed once in a derived table so the filters can use it.
  const std::string inner =
      "SELECT c.id, c.registration_no, c.state, cat.name AS category_name, c.department_id, "
      "COALESCE(d.name, '') AS department_name, "
      "DATE_FORMAT(c.received_at, '%Y-%m-%d %H:%i:%s') AS received_at, c.complainant_name, "
      "c.complainant_phone, c.version, c.received_date, "
      "CASE WHEN " REVIEW_RUNNING " THEN 'review' "
      "WHEN c.state IN ('received', 'transferred') THEN 'ack' "
      "WHEN c.state IN ('accepted', 'in_progress') THEN 'handling' ELSE '' END AS clock, "
      "CASE WHEN " REVIEW_RUNNING " THEN c.review_due "
      "WHEN c.state IN ('received', 'transferred') THEN c.ack_due "
      "WHEN c.state IN ('accepted', 'in_progress') THEN c.handling_due ELSE NULL END AS due, "
      "CASE WHEN " REVIEW_RUNNING " THEN c.review_due_provisional "
      "WHEN c.state IN ('received', 'transferred') THEN c.ack_due_provisional "
      "WHEN c.state IN ('accepted', 'in_progress') THEN c.handling_due_provisional ELSE 0 END "
      "AS due_provisional "
      "FROM complaints c JOIN complaint_categories cat ON cat.code = c.category "
      "LEFT JOIN departments d ON d.id = c.department_id";
  const std::string where =
      " WHERE (? = 0 OR q.department_id = ?) AND (? = 0 OR q.department_id IS NULL) "
      "AND (? = '' OR q.state = ?) AND (? = 0 OR q.due < ?) AND (? = 0 OR q.due BETWEEN ? AND ?) "
      "AND (? = 0 OR q.registration_no LIKE ?)";
  // Only the characters numbers are made of: no LIKE wildcard gets through.
  std::string number;
  for (char ch : f.registration_no) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-') number += ch;
  }
  const std::string state = f.state ? std::string(stateCode(*f.state)) : "";
  const std::vector<db::Param> params = {db::param(f.department_id.has_value()),
                                         db::param(f.department_id.value_or(0)),
                                         db::param(f.unassigned_only),
                                         db::param(state),
                                         db::param(state),
                                         db::param(f.overdue_only),
                                         db::param(today.toString()),
                                         db::param(f.due_this_week),
                                         db::param(week_start.toString()),
                                         db::param(week_end.toString()),
                                         db::param(!f.registration_no.empty()),
                                         // Nothing usable typed: LIKE '' matches no number.
                                         db::param(number.empty() ? "" : "%" + number + "%")};

  QueuePage page;
  page.page = f.page;
  page.page_size = f.page_size;
  db::Rows c = conn_.queryParams("SELECT COUNT(*) AS n FROM (" + inner + ") q" + where, params);
  c.next();
  page.total = c.i64("n");

  std::vector<db::Param> paged = params;
  paged.push_back(db::param(f.page_size));
  paged.push_back(db::param(static_cast<std::int64_t>(f.page - 1) * f.page_size));
  db::Rows r =
      conn_.queryParams("SELECT q.*, DATE_FORMAT(q.due, '%Y-%m-%d') AS due_text FROM (" + inner +
                            ") q" + where + " ORDER BY q.due IS NULL, q.due, q.id LIMIT ? OFFSET ?",
                        paged);
  while (r.next()) {
    QueueRow row;
    row.id = r.i64("id");
    row.registration_no = r.str("registration_no");
    row.state = parseState(r.str("state")).value_or(ComplaintState::Received);
    row.category_name = r.str("category_name");
    row.department_id = r.optI64("department_id");
    row.department_name = r.str("department_name");
    row.received_at = r.str("received_at");
    row.anonymous = r.isNull("complainant_name") && r.isNull("complainant_phone");
    row.masked_phone = r.str("complainant_phone");  // masked by the service
    const std::string clock = r.str("clock");
    row.clock = clock == "ack"        ? RunningClock::Acknowledgment
                : clock == "handling" ? RunningClock::Handling
                : clock == "review"   ? RunningClock::Review
                                      : RunningClock::None;
    row.due = optDate(r.optStr("due_text"));
    row.due_provisional = r.i64("due_provisional") != 0;
    row.overdue = row.due && today > *row.due;
    row.due_today = row.due && *row.due == today;
    row.version = static_cast<int>(r.i64("version"));
    page.rows.push_back(std::move(row));
  }
  return page;
}

std::vector<PublicRequest> ComplaintStore::publicRequests(const PublicRequestFilter& f) {
  static const std::string kColumns =
      "SELECT c.registration_no, c.state, c.category, cat.name AS category_name, "
      "COALESCE(d.name, '') AS department_name, "
      "DATE_FORMAT(c.received_at, '%Y-%m-%d %H:%i:%s') AS received_at, "
      // The last change the public can see: an internal note moves c.updated_at, and telling
      // the requester that one was written is no business of the public list.
      "DATE_FORMAT(COALESCE((SELECT MAX(e.created_at) FROM complaint_events e "
      "WHERE e.complaint_id = c.id AND e.is_public = 1), c.received_at), '%Y-%m-%d %H:%i:%s') "
      "AS updated_at, "
      "DATE_FORMAT(c.handling_due, '%Y-%m-%d') AS handling_due, c.handling_due_provisional, "
      "DATE_FORMAT(c.review_due, '%Y-%m-%d') AS review_due, c.review_due_provisional ";
  static const std::string kJoins =
      "JOIN complaint_categories cat ON cat.code = c.category "
      "LEFT JOIN departments d ON d.id = c.department_id ";
  db::Rows r = [&] {
    if (!f.registration_nos.empty()) {
      // By number (the other filters do not apply: GeoReport v2's service_request_id overrides
      // them). The numbers go in as one JSON array, each once, so the statement stays fixed
      // however many are asked for, and each is looked up in the unique index: FIND_IN_SET over
      // the list read every complaint, newest first, for a number that is not there (0.8 s at
      // 400,000 complaints, for anyone asking requests/{unknown}.json).
      std::set<std::string> seen;
      std::string numbers = "[";
      for (const std::string& n : f.registration_nos) {
        if (!seen.insert(n).second) continue;
        numbers += (numbers.size() > 1 ? ",\"" : "\"") + base::jsonEscape(n) + "\"";
      }
      numbers += "]";
      return conn_.query(
          kColumns +
              "FROM JSON_TABLE(?, '$[*]' COLUMNS (no VARCHAR(64) CHARACTER SET utf8mb4 "
              "COLLATE utf8mb4_unicode_ci PATH '$')) AS n "
              "STRAIGHT_JOIN complaints c ON c.registration_no = n.no " +
              kJoins + "ORDER BY c.id DESC LIMIT ?",
          numbers, f.limit);
    }
    // The comma-separated categories go in as one parameter (FIND_IN_SET), so the statement
    // stays fixed. The window is walked backwards in the received_date index (whose entries end
    // in the id), newest first, until `limit` rows: received_at alone, behind "? = '' OR" and
    // ordered by id, read the whole table whenever fewer than `limit` complaints were in the
    // window; the index is named because, with the dates as parameters, MariaDB otherwise
    // sorted a window of years (start_date alone) in full (1 s at 400,000 complaints).
    std::string category_list;
    for (const std::string& v : f.categories) {
      category_list += (category_list.empty() ? "" : ",") + v;
    }
    const std::string from = f.received_from.empty() ? "0001-01-01 00:00:00" : f.received_from;
    const std::string to = f.received_to.empty() ? "9999-12-31 23:59:59" : f.received_to;
    return conn_.query(
        kColumns + "FROM complaints c FORCE INDEX (ix_complaints_received) " + kJoins +
            "WHERE c.received_date BETWEEN DATE(?) AND DATE(?) "
            "AND c.received_at >= ? AND c.received_at <= ? "
            "AND (? = '' OR FIND_IN_SET(c.category, ?) > 0) "
            "AND (? = 0 OR (c.state IN ('rejected', 'concluded', 'evaluated')) = ?) "
            "ORDER BY c.received_date DESC, c.id DESC LIMIT ?",
        from, to, from, to, category_list, category_list, f.closed.has_value(),
        f.closed.value_or(false), f.limit);
  }();
  std::vector<PublicRequest> out;
  while (r.next()) {
    PublicRequest p;
    p.registration_no = r.str("registration_no");
    p.state = parseState(r.str("state")).value_or(ComplaintState::Received);
    p.category = r.str("category");
    p.category_name = r.str("category_name");
    p.department_name = r.str("department_name");
    p.received_at = r.str("received_at");
    p.updated_at = r.str("updated_at");
    p.handling_due = dateOf(r.str("handling_due"));
    p.handling_due_provisional = r.i64("handling_due_provisional") != 0;
    p.review_due = optDate(r.optStr("review_due"));
    p.review_due_provisional = r.i64("review_due_provisional") != 0;
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<StateCount> ComplaintStore::stateCounts(const CivilDate& from, const CivilDate& to) {
  db::Rows r = conn_.query(
      "SELECT c.department_id, COALESCE(d.name, '') AS department_name, "
      "DATE_FORMAT(c.received_date, '%Y-%m') AS month, c.state, COUNT(*) AS n "
      "FROM complaints c LEFT JOIN departments d ON d.id = c.department_id "
      "WHERE c.received_date BETWEEN ? AND ? "
      "GROUP BY c.department_id, department_name, month, c.state "
      "ORDER BY month, c.department_id IS NULL, c.department_id, c.state",
      from.toString(), to.toString());
  std::vector<StateCount> out;
  while (r.next()) {
    StateCount s;
    s.department_id = r.optI64("department_id");
    s.department_name = r.str("department_name");
    s.month = r.str("month");
    s.state = parseState(r.str("state")).value_or(ComplaintState::Received);
    s.count = r.i64("n");
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<DepartmentStatistics> ComplaintStore::departmentStatistics(const CivilDate& from,
                                                                       const CivilDate& to,
                                                                       const CivilDate& today) {
  const std::string t = today.toString();
  db::Rows r = conn_.query(
      "SELECT c.department_id, COALESCE(d.name, '') AS department_name, COUNT(*) AS received, "
      "SUM(c.acknowledged_on IS NOT NULL) AS acknowledged, "
      "SUM(c.acknowledged_on IS NOT NULL AND c.acknowledged_on <= c.ack_due) AS on_time, "
      "SUM(c.acknowledged_on IS NULL AND c.state IN ('received', 'transferred') "
      "AND c.ack_due < ?) AS ack_overdue, "
      "SUM(c.state IN ('accepted', 'in_progress') AND c.handling_due < ?) AS handling_overdue, "
      "SUM(c.state IN ('concluded', 'evaluated', 'reopened')) AS concluded, "
      "SUM(c.evaluation = 'unsatisfied') AS unsatisfied "
      "FROM complaints c LEFT JOIN departments d ON d.id = c.department_id "
      "WHERE c.received_date BETWEEN ? AND ? "
      "GROUP BY c.department_id, department_name "
      "ORDER BY c.department_id IS NULL, c.department_id",
      t, t, from.toString(), to.toString());
  std::vector<DepartmentStatistics> out;
  while (r.next()) {
    DepartmentStatistics s;
    s.department_id = r.optI64("department_id");
    s.department_name = r.str("department_name");
    s.received = r.i64("received");
    s.acknowledged = r.i64("acknowledged");
    s.acknowledged_on_time = r.i64("on_time");
    s.ack_overdue_open = r.i64("ack_overdue");
    s.handling_overdue_open = r.i64("handling_overdue");
    s.concluded = r.i64("concluded");
    s.unsatisfied = r.i64("unsatisfied");
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<CodeName> ComplaintStore::categories() {
  db::Rows r = conn_.query(
      "SELECT code, name FROM complaint_categories WHERE active = 1 ORDER BY sort_order, code");
  std::vector<CodeName> out;
  while (r.next()) out.push_back({r.str("code"), r.str("name")});
  return out;
}

std::optional<std::string> ComplaintStore::categoryName(const std::string& code) {
  db::Rows r =
      conn_.query("SELECT name FROM complaint_categories WHERE code = ? AND active = 1", code);
  if (!r.next()) return std::nullopt;
  return r.str("name");
}

std::vector<CodeName> ComplaintStore::rejectReasons() {
  db::Rows r = conn_.query(
      "SELECT code, name FROM reject_reasons WHERE active = 1 ORDER BY sort_order, code");
  std::vector<CodeName> out;
  while (r.next()) out.push_back({r.str("code"), r.str("name")});
  return out;
}

std::optional<std::string> ComplaintStore::rejectReasonName(const std::string& code) {
  db::Rows r = conn_.query("SELECT name FROM reject_reasons WHERE code = ? AND active = 1", code);
  if (!r.next()) return std::nullopt;
  return r.str("name");
}

std::vector<DepartmentRef> ComplaintStore::departments() {
  db::Rows r = conn_.query("SELECT id, name FROM departments ORDER BY sort_order, id");
  std::vector<DepartmentRef> out;
  while (r.next()) out.push_back({r.i64("id"), r.str("name")});
  return out;
}

std::optional<std::string> ComplaintStore::departmentName(std::int64_t id) {
  db::Rows r = conn_.query("SELECT name FROM departments WHERE id = ?", id);
  if (!r.next()) return std::nullopt;
  return r.str("name");
}

void ComplaintStore::insertIntakeFingerprint(std::int64_t complaint_id,
                                             const std::string& fingerprint) {
  conn_.execute(
      "INSERT INTO complaint_intake_fingerprints (complaint_id, fingerprint) VALUES (?, ?)",
      complaint_id, fingerprint);
}

std::optional<std::string> ComplaintStore::intakeFingerprint(std::int64_t complaint_id) {
  db::Rows r = conn_.query(
      "SELECT fingerprint FROM complaint_intake_fingerprints WHERE complaint_id = ?", complaint_id);
  if (!r.next()) return std::nullopt;
  return r.str("fingerprint");
}

}  // namespace hotline
