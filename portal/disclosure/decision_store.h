#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/disclosure/decision.h"

namespace portal::disclosure {

struct DecisionFilter {
  std::optional<std::int64_t> department_id;
  std::optional<DecisionKind> kind;
  std::optional<std::string> outcome_type;
  std::optional<int> year;  // of the decision date
  int page = 1;
  int page_size = 20;
};

struct DecisionPage {
  std::vector<Decision> decisions;
  std::int64_t total = 0;
};

// Per department and month of the decision date, for statistics.
struct DecisionCount {
  std::string department_name;
  std::string month;  // YYYY-MM
  std::string decision_kind;
  std::string outcome_type;
  std::int64_t published = 0;  // published or withdrawn since
  std::int64_t on_time = 0;    // of those, published by the due date
  std::int64_t pending = 0;    // drafts not yet published
  std::int64_t overdue = 0;    // drafts past their due date on `today`
};

// SQL for enforcement_decisions. Works on the caller's connection; writes belong inside the
// caller's transaction. Throws db::DbError (isDuplicateKey() for a taken decision number).
class DecisionStore {
 public:
  explicit DecisionStore(db::Connection& conn) : conn_(conn) {}

  std::int64_t count();
  std::int64_t insert(const Decision& d);
  // Replaces the editable fields of a draft; false when it is not a draft (any more).
  bool updateDraft(const Decision& d);
  std::optional<Decision> find(std::int64_t id);
  std::optional<Decision> findForUpdate(std::int64_t id);
  void setConfirmedFindings(std::int64_t id, const std::vector<std::string>& keys);
  // Replaces the editable fields (and confirmed findings) of a published decision; its clock,
  // publication date and state stay. False when it is not published (any more).
  bool updatePublished(const Decision& d);
  std::int64_t insertCorrection(const DecisionCorrection& c);
  // A decision's corrections, newest first.
  std::vector<DecisionCorrection> corrections(std::int64_t decision_id);
  void markPublished(std::int64_t id, const std::string& at, const hotline::CivilDate& on);
  // A published decision was changed or revoked on `changed_on`: its withdrawal falls due.
  void markChanged(std::int64_t id, const hotline::CivilDate& changed_on,
                   const hotline::CivilDate& due, bool due_provisional);
  void markWithdrawn(std::int64_t id, const hotline::CivilDate& changed_on,
                     const hotline::CivilDate& due, bool due_provisional, const std::string& at,
                     const hotline::CivilDate& on, const std::string& reason);

  // Published and withdrawn decisions published on or after `published_since`, newest
  // decision first.
  DecisionPage listPublic(const DecisionFilter& filter, const hotline::CivilDate& published_since);
  // Every decision of a department (or all), drafts first by due date, for staff.
  std::vector<Decision> listForStaff(std::optional<std::int64_t> department_id,
                                     std::optional<DecisionState> state, int limit);
  // Ids of public decisions published before `cutoff` that are not retired yet.
  std::vector<std::int64_t> dueForRetirement(const hotline::CivilDate& cutoff, int limit);
  void markRetired(std::int64_t id, const std::string& at);
  // Ids of every public (published or withdrawn, not retired) decision, for a full reindex.
  std::vector<std::int64_t> publicIds();
  // Decisions whose publication or withdrawal due date was computed into a year without a
  // holiday notice.
  std::vector<Decision> withProvisionalClock();
  void setPublishDue(std::int64_t id, const hotline::CivilDate& due, bool provisional);
  void setWithdrawDue(std::int64_t id, const hotline::CivilDate& due, bool provisional);

  std::vector<DecisionCount> counts(const hotline::CivilDate& from, const hotline::CivilDate& to,
                                    const hotline::CivilDate& today);

 private:
  std::optional<Decision> findWith(std::int64_t id, bool for_update);
  db::Connection& conn_;
};

}  // namespace portal::disclosure
