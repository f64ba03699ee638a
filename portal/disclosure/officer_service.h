#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "db/pool.h"
#include "hotline/civil_date.h"
#include "portal/accounts/audit_store.h"
#include "portal/disclosure/certificate.h"
#include "portal/disclosure/officer_store.h"

namespace portal::disclosure {

// A staff change the service refused, with the reasons in Chinese; nothing was written.
struct OfficerRefusal {
  int status = 422;  // 404 no such certificate in this department, 409 number taken, 422 invalid
  std::vector<std::string> errors;
};

// The officer and first certificate an editor enters. Dates "YYYY-MM-DD"; last_inspected_on
// may be empty (never inspected yet).
struct NewOfficer {
  std::int64_t department_id = 0;
  std::string name;
  std::string number;  // as typed; normalised by the service
  std::string category;
  std::string region;
  std::string post;
  std::string issued_on;
  std::string last_inspected_on;
};

// A re-issue after a change of post, category or region: the new certificate's details.
struct Reissue {
  std::string new_number;  // as typed
  std::string category;
  std::string region;
  std::string post;
  std::string issued_on;  // of the new certificate; the old one ends that day
};

// A certificate as people see it on `today`.
struct CertificateView {
  CertificateRecord record;
  CertificateValidity validity;
};

// The public check's answer for one typed number.
struct CertificateCheck {
  enum class Outcome { Found, Malformed, Unknown };
  Outcome outcome = Outcome::Unknown;
  std::string number;   // normalised
  std::string problem;  // Malformed: why, in Chinese
  std::optional<CertificateView> found;
};

struct RosterFilter {
  std::optional<CertificateStanding> standing;
  std::optional<std::string> category;
  int page = 1;
  int page_size = 50;
};

struct RosterPage {
  std::vector<CertificateView> rows;
  std::int64_t total = 0;
  int page = 1;
  int page_size = 50;
  std::vector<std::string> categories;  // of the whole roster, for the filter bar
  int pageCount() const {
    return total == 0 ? 1 : static_cast<int>((total + page_size - 1) / page_size);
  }
};

// One certificate whose inspection falls due soon (or is overdue), for the statistics.
struct ExpiringCertificate {
  std::int64_t department_id = 0;
  std::string department_slug;
  std::string department_name;
  std::string officer_name;
  std::string number;
  std::string category;
  hotline::CivilDate valid_through;
  std::int64_t days_left = 0;  // negative: expired that many days ago
  CertificateStanding standing = CertificateStanding::Valid;
};

// How many certificates of each department (by name) fall due soon and have expired.
struct ExpiringCount {
  int soon = 0;
  int expired = 0;
};
std::map<std::string, ExpiringCount> countByDepartment(
    const std::vector<ExpiringCertificate>& certificates);

// Officers and their enforcement certificates (seed item 12): the staff writes, the roster
// and the public certificate check. Every write runs in one transaction with its audit row and
// its search change-log row (kind "officer", key the officer id). "Today" is always passed in,
// so the rules are testable on any date. Thread safe (each call takes its own connection).
// Throws db::DbError on infrastructure failure.
class OfficerService {
 public:
  // `clock`: the portal's one clock (App's), for the audit rows.
  OfficerService(db::Pool& pool, accounts::Clock clock,
                 int warning_days = kDefaultExpiryWarningDays)
      : pool_(pool), clock_(std::move(clock)), warning_days_(warning_days) {}

  // `audit` carries who and from where (accounts::auditEntryFor); the service fills in the
  // action, object and before/after. Each returns the affected certificate as it is now.
  std::variant<CertificateView, OfficerRefusal> addOfficer(const NewOfficer& officer,
                                                           const hotline::CivilDate& today,
                                                           accounts::AuditEntry audit);
  // Records an inspection mark dated `inspected_on` on the department's active certificate.
  std::variant<CertificateView, OfficerRefusal> recordInspection(std::int64_t department_id,
                                                                 const std::string& number,
                                                                 const std::string& inspected_on,
                                                                 const hotline::CivilDate& today,
                                                                 accounts::AuditEntry audit);
  // Issues a new certificate; the old one becomes replaced (pointing at the new one) and ends
  // on the new one's issue date. Returns the new certificate.
  std::variant<CertificateView, OfficerRefusal> reissue(std::int64_t department_id,
                                                        const std::string& number,
                                                        const Reissue& change,
                                                        const hotline::CivilDate& today,
                                                        accounts::AuditEntry audit);
  std::variant<CertificateView, OfficerRefusal> revoke(std::int64_t department_id,
                                                       const std::string& number,
                                                       const std::string& reason,
                                                       const hotline::CivilDate& today,
                                                       accounts::AuditEntry audit);

  // The department's active certificate `number` (as typed), as it stands on `today`, for a
  // page that asks before changing it; otherwise why it cannot be changed (404 not in this
  // department, 409 replaced or revoked already). Reads only.
  std::variant<CertificateView, OfficerRefusal> activeCertificate(std::int64_t department_id,
                                                                  const std::string& number,
                                                                  const hotline::CivilDate& today);

  // The department's officers with their current certificates, filtered and paged.
  RosterPage roster(std::int64_t department_id, const RosterFilter& filter,
                    const hotline::CivilDate& today);
  // The public check of a typed number.
  CertificateCheck check(const std::string& typed_number, const hotline::CivilDate& today);
  // Active certificates of every department whose validity ends within `within_days` days of
  // `today` (inclusive), soonest first; with include_expired also those already expired.
  std::vector<ExpiringCertificate> expiringCertificates(const hotline::CivilDate& today,
                                                        int within_days,
                                                        bool include_expired = false);

  int warningDays() const { return warning_days_; }

 private:
  CertificateView view(CertificateRecord record, const hotline::CivilDate& today) const;

  db::Pool& pool_;
  accounts::Clock clock_;
  int warning_days_;
};

}  // namespace portal::disclosure
