#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/connection.h"
#include "hotline/complaint.h"
#include "hotline/complaint_attachment.h"
#include "hotline/evidence.h"

namespace hotline {

// Everything an intake inserts.
struct NewComplaint {
  std::string registration_no;
  Source source = Source::Complaint;
  int reg_year = 0;
  std::int64_t reg_seq = 0;
  Channel channel = Channel::Web;
  std::optional<std::int64_t> department_id;
  std::string category;
  std::string description;
  std::string location;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::optional<std::string> complainant_name;
  std::optional<std::string> complainant_phone;
  std::string tracking_code_hash;
  std::string tracking_code_sealed;
  std::string idempotency_key_hash;
  std::optional<std::string> operator_account;
  std::string received_at;
  CivilDate received_date;
  int ack_working_days = 0;
  CivilDate ack_due;
  bool ack_due_provisional = false;
  int handling_working_days = 0;
  CivilDate handling_due;
  bool handling_due_provisional = false;
};

struct NewEvent {
  std::int64_t complaint_id = 0;
  EventKind kind = EventKind::Note;
  std::optional<ComplaintState> from_state;
  std::optional<ComplaintState> to_state;
  bool is_public = false;
  std::string actor;
  std::optional<std::int64_t> department_id;
  std::optional<std::string> reason_code;
  std::optional<std::string> text;
  std::string created_at;
};

// What a retried submission needs to answer like the first one.
struct IdempotentHit {
  std::int64_t complaint_id = 0;
  std::string tracking_code_sealed;
};

struct TrackingSecret {
  std::int64_t complaint_id = 0;
  std::string tracking_code_hash;
};

// A complaint whose deadline was provisional, for recomputation after a calendar load.
struct ProvisionalDeadlines {
  std::int64_t id = 0;
  CivilDate received_date;
  int ack_working_days = 0;
  CivilDate ack_due;
  bool ack_due_provisional = false;
  int handling_working_days = 0;
  CivilDate handling_due;
  bool handling_due_provisional = false;
  std::optional<CivilDate> reopened_on;  // with the review clock
  int review_working_days = 0;
  std::optional<CivilDate> review_due;
  bool review_due_provisional = false;
};

// SQL for complaints, their events and attachment metadata, registration sequences and the
// reference lists (categories, reject reasons, departments). Works on a connection the caller
// holds (and its transaction, if any); not thread safe, like the connection. Throws db::DbError on
// infrastructure failure (isDuplicateKey() when a unique key is taken).
class ComplaintStore {
 public:
  explicit ComplaintStore(db::Connection& conn) : conn_(conn) {}

  // Increments and returns the (year, source) sequence in one round trip, creating the row at
  // the year's first complaint; the row stays locked until the transaction ends, so a rollback
  // gives the number back. Precondition: inside a transaction.
  std::int64_t nextSequence(int year, Source source);

  std::int64_t insert(const NewComplaint& complaint);
  // Numbers them 1, 2, ... in the given order. Precondition: inside the insert's transaction.
  void insertAttachments(std::int64_t complaint_id,
                         const std::vector<ComplaintAttachment>& attachments);
  std::vector<ComplaintAttachment> attachments(std::int64_t complaint_id);
  int attachmentCount(std::int64_t complaint_id);
  // Evidence files (table complaint_evidence_files). Precondition for insert: inside the
  // insert's transaction. The listing leaves the bytes out; content() reads one file's.
  void insertEvidence(std::int64_t complaint_id, const std::vector<EvidenceFile>& files);
  std::vector<EvidenceInfo> evidence(std::int64_t complaint_id);
  int evidenceCount(std::int64_t complaint_id);
  std::optional<EvidenceContent> evidenceContent(std::int64_t complaint_id, int ordinal);
  // What the intake was submitted with (ComplaintService's hash), to tell a retry with the same
  // idempotency key from another submission reusing it. std::nullopt for complaints taken in
  // before fingerprints were kept.
  void insertIntakeFingerprint(std::int64_t complaint_id, const std::string& fingerprint);
  std::optional<std::string> intakeFingerprint(std::int64_t complaint_id);
  std::optional<IdempotentHit> findByIdempotencyKeyHash(const std::string& hash);

  // With `for_update`, row-locks the complaint until the transaction ends.
  std::optional<Complaint> find(std::int64_t id, bool for_update = false);
  std::optional<Complaint> findByRegistrationNo(const std::string& registration_no);
  std::optional<TrackingSecret> trackingSecret(const std::string& registration_no);
  // Replaces a legacy tracking-code hash, unless another lookup already did.
  void replaceTrackingHash(std::int64_t id, const std::string& old_hash,
                           const std::string& new_hash);

  // Writes every mutable field of `c` and sets version to c.version + 1. Returns false when the
  // stored version was not c.version (someone else changed it).
  bool update(const Complaint& c);

  // Returns the event's id.
  std::int64_t appendEvent(const NewEvent& event);
  std::vector<ComplaintEvent> events(std::int64_t complaint_id, bool public_only);

  std::vector<ProvisionalDeadlines> provisionalForUpdate();
  void updateDeadlines(const ProvisionalDeadlines& d);

  QueuePage queue(const QueueFilter& filter, const CivilDate& today, const CivilDate& week_start,
                  const CivilDate& week_end);
  std::vector<PublicRequest> publicRequests(const PublicRequestFilter& filter);
  std::vector<StateCount> stateCounts(const CivilDate& from, const CivilDate& to);
  std::vector<DepartmentStatistics> departmentStatistics(const CivilDate& from, const CivilDate& to,
                                                         const CivilDate& today);

  std::vector<CodeName> categories();  // active ones, in display order
  std::optional<std::string> categoryName(const std::string& code);  // active only
  std::vector<CodeName> rejectReasons();
  std::optional<std::string> rejectReasonName(const std::string& code);  // active only
  std::vector<DepartmentRef> departments();
  std::optional<std::string> departmentName(std::int64_t id);

 private:
  db::Connection& conn_;
};

}  // namespace hotline
