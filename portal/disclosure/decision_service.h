#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "db/pool.h"
#include "hotline/calendar_service.h"
#include "hotline/local_clock.h"
#include "portal/accounts/account.h"
#include "portal/disclosure/decision.h"
#include "portal/disclosure/decision_store.h"
#include "portal/disclosure/disclosure_options.h"
#include "portal/publishing/publishing_service.h"

namespace portal::disclosure {

using publishing::Refused;
// The decision's id, or why nothing was written (403 not this department, 404 unknown,
// 409 wrong state or duplicate number, 422 invalid or personal data left).
using DecisionResult = std::variant<std::int64_t, Refused>;

// Decisions of a period summed up for the statistics page: totals per department (in department
// order), per month (every month of the period, empty ones as 0) and per outcome type.
struct DecisionTotals {
  std::int64_t published = 0;
  std::int64_t on_time = 0;
  std::int64_t pending = 0;
  std::int64_t overdue = 0;
  void add(const DecisionCount& c);
};
struct DecisionStatistics {
  std::vector<DecisionCount> counts;  // the rows summed up (empty: nothing in the period)
  DecisionTotals all;
  std::vector<std::pair<std::string, DecisionTotals>> by_department;
  std::vector<std::pair<std::string, std::int64_t>> by_month;  // "YYYY-MM", published
  std::map<std::string, std::int64_t> by_outcome;              // outcome type code, published
};

// After-enforcement decisions: drafts with their publication clock, the redaction check and
// publication, withdrawal with its clock, retention. Every write is audited and reaches the
// search change log in the same transaction. Thread safe; throws db::DbError on
// infrastructure failure.
class DecisionService {
 public:
  DecisionService(db::Pool& pool, hotline::CalendarService& calendar, DisclosureOptions options,
                  hotline::LocalClock clock = hotline::LocalClock())
      : pool_(pool), calendar_(calendar), options_(options), clock_(std::move(clock)) {}

  const DisclosureOptions& options() const { return options_; }
  hotline::CivilDate today() const { return clock_.now().date; }

  DecisionResult create(const accounts::Actor& actor, std::int64_t department_id,
                        const DecisionInput& input);
  DecisionResult update(const accounts::Actor& actor, std::int64_t id, const DecisionInput& input);
  // Publishes a draft once every finding of the redaction check is in `confirmed` (keys from
  // findingKey(); the editor confirms what is lawful to publish, e.g. a company's phone) and the
  // decision is not about a minor. A minor's age in the text cannot be confirmed: it is refused
  // until removed. 422 lists findingMessage() of each finding left.
  DecisionResult publish(const accounts::Actor& actor, std::int64_t id,
                         const std::vector<std::string>& confirmed);
  // Corrects (更正) a mistake in a published decision: the fields are replaced by `input`, the
  // decision stays published at its address with its publication date and clock, and `note`
  // (更正说明, required, at most 500 characters) is shown on the public page. The corrected
  // text passes the publication check (personal data refused unless in `confirmed` or confirmed
  // before; a minor never); the note may hold no personal data. 422 when nothing changed.
  DecisionResult correct(const accounts::Actor& actor, std::int64_t id, const DecisionInput& input,
                         const std::string& note, const std::vector<std::string>& confirmed);
  // The corrections of a decision, newest first.
  std::vector<DecisionCorrection> corrections(std::int64_t id);
  // Records that a published decision was changed or revoked on `changed_on` (YYYY-MM-DD): it
  // stays public and its withdrawal clock starts (the legal office sees it due).
  DecisionResult recordChange(const accounts::Actor& actor, std::int64_t id,
                              const std::string& changed_on);
  // Withdraws a published decision that was changed or revoked on `changed_on` (YYYY-MM-DD;
  // empty: the date recorded before), with the reason shown to the public.
  DecisionResult withdraw(const accounts::Actor& actor, std::int64_t id,
                          const std::string& changed_on, const std::string& reason);
  // Public decisions past the retention period leave the public pages and the index.
  std::size_t retireExpired();
  // Publication and withdrawal due dates that reached into a year without a holiday notice,
  // recomputed with the calendar as it is now (after `portal calendar-load` and at start);
  // returns how many changed. A due date stays marked provisional while its year is missing.
  std::size_t recomputeProvisionalClocks();

  std::optional<Decision> find(std::int64_t id);
  DecisionPage listPublic(const DecisionFilter& filter);
  std::vector<Decision> listForStaff(std::optional<std::int64_t> department_id,
                                     std::optional<DecisionState> state, int limit = 200);
  std::vector<DecisionCount> counts(const hotline::CivilDate& from, const hotline::CivilDate& to);
  DecisionStatistics statistics(const hotline::CivilDate& from, const hotline::CivilDate& to);
  // The first day a public decision may have been published and still be shown.
  hotline::CivilDate retentionCutoff() const;
  // The publication clock of a decision, with how it was computed.
  hotline::Deadline publicationClock(const Decision& d);
  std::optional<hotline::Deadline> withdrawalClock(const Decision& d);
  // Working days from today to the publication due date (0 once it is today or past).
  int workingDaysLeft(const Decision& d);
  // A decision is public (has a page) when published or withdrawn and not retired.
  bool isRetired(const Decision& d) const;
  // Why `d` cannot be corrected (409), or nullopt: only a decision still public and not
  // recorded as changed (which is withdrawn instead) is corrected.
  std::optional<std::string> correctionRefusal(const Decision& d) const;

 private:
  db::Pool& pool_;
  hotline::CalendarService& calendar_;
  DisclosureOptions options_;
  hotline::LocalClock clock_;
};

}  // namespace portal::disclosure
