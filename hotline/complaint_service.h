#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/pool.h"
#include "hotline/calendar_service.h"
#include "hotline/complaint.h"
#include "hotline/complaint_attachment.h"
#include "hotline/complaint_rules.h"
#include "hotline/deadline.h"
#include "hotline/evidence.h"
#include "hotline/hotline_options.h"
#include "hotline/intake_limiter.h"
#include "hotline/local_clock.h"
#include "hotline/registration_number.h"

namespace hotline {

struct NewComplaint;

class ComplaintStore;
struct NewEvent;

// One submission, from any door: the public form (Channel::Web), a phone call typed in by staff
// (Channel::Phone, operator_account required) or Open311 (Channel::Open311). Text is stored as
// given (trimmed): HTML is text, escaping is the renderer's job.
struct IntakeRequest {
  Source source = Source::Complaint;
  Channel channel = Channel::Web;
  std::optional<std::int64_t> department_id;  // std::nullopt: 不确定, the legal office assigns
  std::string category;                       // a complaint_categories code, e.g. "noise"
  std::string description;                    // required, at most 5000 characters
  std::string location;                       // optional, at most 200 characters
  std::optional<double> latitude;             // Open311 lat/long, WGS-84
  std::optional<double> longitude;
  std::string complainant_name;   // optional: "" is anonymous
  std::string complainant_phone;  // optional; mobile or landline with area code (normalised)
  // Required for Channel::Phone and for every source but 投诉举报 (staff register those).
  std::string operator_account;
  // Required: 16-128 characters of [A-Za-z0-9_.:-], unguessable (the form's hidden token,
  // generated when the form is rendered). A retry with the same key and the same fields
  // returns the first registration, tracking code included, and writes nothing; the same key
  // with different fields is IntakeResult::idempotency_conflict. Keys are per api_key: the
  // same key from two Open311 clients (or from a client and the forms) is two submissions.
  std::string idempotency_key;
  // The key was made by the server for this request (an API client that sent none): no earlier
  // submission can carry it, so intake skips looking for one and recording the body for it.
  bool idempotency_key_generated = false;
  // Optional: evidence the complainant holds, described (no files). Blank entries (no name, no
  // description) are skipped; at most kMaxAttachments others. Errors name the entry by its
  // position here, 1-based: "attachment_3_name", "attachment_3_kind", ...; "attachments" for
  // too many.
  std::vector<AttachmentEntry> attachments;
  // Optional: evidence files (photos, PDFs), checked and re-encoded by prepareEvidence();
  // errors under the field "evidence". Stored in the intake's transaction.
  std::vector<EvidenceUpload> evidence;
  // Who is submitting, for the abuse limits (IntakeLimitOptions); "" is not counted.
  std::string client_address;  // as the edge saw it
  std::string api_key;         // Open311
};

// What the complainant is told after a successful submission (the commit has happened).
struct Registration {
  std::int64_t complaint_id = 0;
  std::string registration_no;  // "TS-2026-000123"
  std::string tracking_code;    // shown to the complainant, stored only hashed
  bool replayed = false;        // true: an earlier submission with the same idempotency key
  ComplaintState state = ComplaintState::Received;
  std::string received_at;     // Beijing time
  Deadline ack_deadline;       // with .summary: how it was computed
  Deadline handling_deadline;  // with .summary
  // As stored by the first submission (a replay returns those, not the retry's).
  std::vector<ComplaintAttachment> attachments;
  int evidence_count = 0;  // evidence files stored with the complaint
};

struct IntakeResult {
  std::vector<FieldError> errors;  // non-empty: nothing was written
  std::optional<Registration> registration;
  // Set (and nothing written) when an abuse limit refused the submission: HTTP 429.
  std::optional<LimitRefusal> limited;
  // Set (and nothing written or revealed) when the idempotency key was used before with a
  // different submission: HTTP 409.
  bool idempotency_conflict = false;

  bool ok() const { return errors.empty() && registration.has_value(); }
};

// 200, 422, 404, 403, 409 in HTTP terms.
enum class ActionStatus { Ok, Invalid, NotFound, Forbidden, Conflict };

struct ActionResult {
  ActionStatus status = ActionStatus::Ok;
  // Invalid: one entry per bad field; NotFound/Forbidden/Conflict: one entry, field "".
  std::vector<FieldError> errors;
  ComplaintState state = ComplaintState::Received;  // after the action (Ok)
  int version = 0;                                  // after the action (Ok)

  bool ok() const { return status == ActionStatus::Ok; }
};

// One line of the public timeline.
struct TimelineEntry {
  std::string at;  // "YYYY-MM-DD HH:MM:SS"
  EventKind kind = EventKind::Note;
  std::string
      title;  // "已受理", "已移送至区市场监督管理局", "不予受理：未提供具体的违法事实或线索"
  std::string text;  // the public note, reason or result; "" when none
};

// What the tracking page shows for number + code: never the complainant's name or phone, nor
// internal notes or staff accounts.
struct TrackingView {
  std::string registration_no;
  ComplaintState state = ComplaintState::Received;
  std::string state_name;
  std::string category_name;
  std::string department_name;  // the handling department; "" while being assigned
  std::string location;
  std::string received_at;
  Deadline ack_deadline;
  Deadline handling_deadline;
  std::optional<CivilDate> acknowledged_on;  // the day it was accepted or rejected
  std::optional<CivilDate> concluded_on;     // the day it was last concluded
  // Set once 不满意 reopened it: the review deadline, counted from the day after reopening.
  std::optional<Deadline> review_deadline;
  RunningClock clock = RunningClock::None;  // the step still open, whose deadline is running
  std::string reject_reason_name;  // both set when rejected
  std::string reject_reason_text;
  std::string result_text;  // set once concluded
  std::optional<Rating> evaluation;
  bool can_evaluate = false;
  std::vector<TimelineEntry> timeline;  // public events, oldest first
  // How many attachment descriptions were given; never the names or descriptions themselves
  // (people name files after themselves and others).
  int attachment_count = 0;
  // How many evidence files were uploaded; never the files or their names.
  int evidence_count = 0;
};

// A complaint as a handler sees it: the phone masked (revealPhone() shows it, audited).
struct ComplaintDetail {
  Complaint complaint;  // complainant_phone is masked here
  Deadline ack_deadline;
  Deadline handling_deadline;
  // Set once 不满意 reopened it: the review deadline, counted from the day after reopening.
  std::optional<Deadline> review_deadline;
  RunningClock clock = RunningClock::None;       // the clock that is running now
  bool overdue = false;                          // the running clock is past its deadline
  std::vector<ComplaintEvent> events;            // every event, internal ones too
  std::vector<ComplaintAttachment> attachments;  // in the order given
  // Evidence files (no bytes). Listed only when evidence_visible: the handling department
  // and the legal office see them, a department that transferred the complaint away does not.
  std::vector<EvidenceInfo> evidence;
  bool evidence_visible = false;
  // False for a department that transferred the complaint away: complainant_name and
  // complainant_phone are then empty, and the events after the transfer are the public ones.
  bool personal_visible = true;
  int evidence_count = 0;  // always set
  std::vector<Action> allowed_actions;           // for the actor who asked; for buttons
};

// The complaint core: intake, the state machine, tracking, staff queues and statistics.
// Thread safe: every call borrows its own connection from the pool and holds it for the call.
// Bad input and refused actions come back as values (IntakeResult/ActionResult with Chinese
// messages); absence is std::nullopt; infrastructure failures throw db::DbError or
// HotlineError and leave nothing half-written (each change is one transaction with its event).
class ComplaintService {
 public:
  // `calendar` must outlive the service. Throws std::invalid_argument on bad options
  // (registration format, non-positive periods), HotlineError if libsodium fails.
  ComplaintService(db::Pool& pool, CalendarService& calendar, HotlineOptions options = {},
                   LocalClock clock = LocalClock());
  ~ComplaintService();

  IntakeResult submit(const IntakeRequest& request);

  // Staff actions. `expected_version` (the version the handler's page showed) turns a change
  // made meanwhile by someone else into Conflict instead of acting on stale information.
  ActionResult assign(std::int64_t id, const StaffActor& actor, std::int64_t department_id,
                      std::optional<int> expected_version = std::nullopt);
  ActionResult accept(std::int64_t id, const StaffActor& actor, const std::string& public_note,
                      std::optional<int> expected_version = std::nullopt);
  // Both the coded reason (reject_reasons) and the text are required and shown to the public.
  ActionResult reject(std::int64_t id, const StaffActor& actor, const std::string& reason_code,
                      const std::string& reason_text,
                      std::optional<int> expected_version = std::nullopt);
  // Once only; the acknowledgment and handling deadlines carry over unchanged.
  ActionResult transfer(std::int64_t id, const StaffActor& actor, std::int64_t to_department_id,
                        const std::string& reason,
                        std::optional<int> expected_version = std::nullopt);
  ActionResult start(std::int64_t id, const StaffActor& actor, const std::string& public_note,
                     std::optional<int> expected_version = std::nullopt);
  // `is_public`: shown to the complainant or internal; no choice (nullopt) is refused, as a note
  // made public by a default could tell the complainant what was meant to stay internal.
  ActionResult addNote(std::int64_t id, const StaffActor& actor, const std::string& text,
                       std::optional<bool> is_public,
                       std::optional<int> expected_version = std::nullopt);
  ActionResult conclude(std::int64_t id, const StaffActor& actor, const std::string& result_text,
                        std::optional<int> expected_version = std::nullopt);
  // The complainant rates the handling with number + tracking code (a wrong code is NotFound,
  // like an unknown number). Unsatisfied needs a comment and reopens the complaint (复核中).
  ActionResult evaluate(const std::string& registration_no, const std::string& tracking_code,
                        Rating rating, const std::string& comment);
  // Staff record a rating given by phone.
  ActionResult recordEvaluation(std::int64_t id, const StaffActor& actor, Rating rating,
                                const std::string& comment,
                                std::optional<int> expected_version = std::nullopt);

  // std::nullopt for an unknown number and for a wrong code alike (same work, same answer).
  // Rate limiting is the caller's: see TrackingRateLimiter.
  std::optional<TrackingView> track(const std::string& registration_no,
                                    const std::string& tracking_code);

  // std::nullopt when the complaint does not exist or the actor's department neither handles
  // it nor transferred it.
  std::optional<ComplaintDetail> detail(std::int64_t id, const StaffActor& actor);
  std::optional<ComplaintDetail> detailByNumber(const std::string& registration_no,
                                                const StaffActor& actor);
  // The full phone number; writes an internal phone_revealed event naming the actor (the
  // audit). std::nullopt when not visible to the actor or no phone was given.
  std::optional<std::string> revealPhone(std::int64_t id, const StaffActor& actor);
  // One evidence file's bytes for the handling department's staff or the legal office;
  // std::nullopt when the file does not exist or the actor may not see it (same answer).
  std::optional<EvidenceContent> evidenceFile(std::int64_t id, int ordinal,
                                              const StaffActor& actor);

  // Complaints as the public may list them (Open311 GET requests); see PublicRequest.
  std::vector<PublicRequest> publicRequests(PublicRequestFilter filter);

  // Phones masked. page and page_size are clamped to 1.. and 1-200.
  QueuePage queue(QueueFilter filter);
  // Complaints received from `from` to `to` inclusive; with `department`, only that
  // department's (an editor's view: no other department's counts, nor the unassigned).
  Statistics statistics(const CivilDate& from, const CivilDate& to,
                        std::optional<std::int64_t> department = std::nullopt);

  std::vector<CodeName> categories();
  std::vector<CodeName> rejectReasons();
  std::vector<DepartmentRef> departments();

  const HotlineOptions& options() const { return options_; }
  // A registration number as typed, in the form every lookup and per-number limit uses
  // (normalizeRegistrationNo with the configured format). Pure.
  std::string registrationNo(std::string_view typed) const {
    return normalizeRegistrationNo(typed, format_);
  }
  // Refusals counted since start, for /metrics.
  const IntakeLimiter& intakeLimiter() const { return limiter_; }

 private:
  using Mutation = std::function<std::vector<FieldError>(Complaint&, NewEvent&, ComplaintStore&)>;
  // One staff or complainant action in one transaction, run again after a deadlock or
  // lock-wait timeout (the server rolled the attempt back; `mutate` is a pure function of the
  // complaint it is given, so a second attempt decides afresh on what is then current).
  ActionResult apply(std::int64_t id, const std::optional<StaffActor>& actor, Action action,
                     std::optional<int> expected_version, const Mutation& mutate);
  ActionResult applyOnce(std::int64_t id, const std::optional<StaffActor>& actor, Action action,
                         std::optional<int> expected_version, const Mutation& mutate);
  ActionResult applyEvaluation(std::int64_t id, const std::optional<StaffActor>& actor,
                               Rating rating, const std::string& comment,
                               std::optional<int> expected_version);
  std::vector<FieldError> validate(const IntakeRequest& request, ComplaintStore& store,
                                   std::optional<std::string>* phone,
                                   std::vector<ComplaintAttachment>* attachments) const;
  // What submit() computes once, before any connection is borrowed, for every attempt.
  struct PreparedIntake {
    std::string key_hash;  // of the idempotency key
    std::string code;      // the tracking code handed out
    std::string code_hash;    // TrackingCode::hash of `code`
    std::string code_sealed;  // `code` sealed under the idempotency key
    std::vector<EvidenceFile> evidence;  // re-encoded, checked
    std::vector<FieldError> evidence_errors;
  };
  // One attempt of submit(): its own connection and transaction (submit() retries it).
  IntakeResult submitAttempt(const IntakeRequest& request, const PreparedIntake& prepared,
                             const WorkingCalendar& calendar);
  // Number + code -> the complaint's id (std::nullopt: unknown number or wrong code), with a
  // connection left in `conn`. A legacy argon2id hash that matched is replaced by a keyed one.
  std::optional<std::int64_t> matchTracking(const std::string& registration_no,
                                            const std::string& code,
                                            std::optional<db::Lease>& conn);
  Registration replay(ComplaintStore& store, std::int64_t complaint_id,
                      const std::string& tracking_code);
  std::optional<ComplaintDetail> buildDetail(ComplaintStore& store, const Complaint& c,
                                             const StaffActor& actor);

  db::Pool& pool_;
  CalendarService& calendar_;
  HotlineOptions options_;
  LocalClock clock_;
  RegistrationNumberFormat format_;
  std::string decoy_hash_;
  IntakeLimiter limiter_;
};

}  // namespace hotline
