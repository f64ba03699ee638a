#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/connection.h"
#include "portal/disclosure/certificate.h"

namespace portal::disclosure {

// One enforcement certificate as the register holds it. Dates are "YYYY-MM-DD".
struct OfficerCertificate {
  std::int64_t id = 0;
  std::int64_t officer_id = 0;
  std::int64_t department_id = 0;
  std::string number;  // normalised
  std::string category;
  std::string region;
  std::string post;
  std::string issued_on;
  std::optional<std::string> last_inspected_on;
  CertificateState state = CertificateState::Active;
  std::optional<std::int64_t> replaced_by_id;
  std::optional<std::string> ended_on;
  std::string end_reason;
};

// A certificate with what the public check and the roster show next to it.
struct CertificateRecord {
  OfficerCertificate certificate;
  std::string officer_name;
  std::string department_slug;
  std::string department_name;
  std::optional<std::string> replaced_by_number;  // when replaced
};

// SQL for officers and their certificates. Works on the caller's connection (and inside the
// caller's transaction for writes). Throws db::DbError; isDuplicateKey() when a certificate
// number is taken.
class OfficerStore {
 public:
  explicit OfficerStore(db::Connection& conn) : conn_(conn) {}

  std::int64_t insertOfficer(std::int64_t department_id, const std::string& name);
  std::int64_t insertCertificate(const OfficerCertificate& c);

  std::optional<CertificateRecord> findByNumber(const std::string& number);
  // Certificates whose number is `number_without_province` behind one province character
  // (吉 + 220101210031), at most `limit` of them: people often type the number without it.
  std::vector<CertificateRecord> findByNumberWithoutProvince(
      const std::string& number_without_province, int limit);
  // The same, locking the certificate row until the caller's transaction ends.
  std::optional<CertificateRecord> lockByNumber(const std::string& number);

  void setLastInspected(std::int64_t certificate_id, const std::string& date);
  void markReplaced(std::int64_t certificate_id, std::int64_t new_id, const std::string& ended_on,
                    const std::string& reason);
  void markRevoked(std::int64_t certificate_id, const std::string& ended_on,
                   const std::string& reason);
  void touchOfficer(std::int64_t officer_id);

  // Every active officer of the department with the certificate they hold now (the one not
  // replaced: active or revoked), by name.
  std::vector<CertificateRecord> roster(std::int64_t department_id);
  // Every active certificate of every department (for the expiry report).
  std::vector<CertificateRecord> activeCertificates();
  // The officer's current certificate (as in roster()) and every number they ever held.
  std::optional<CertificateRecord> currentOf(std::int64_t officer_id);
  std::vector<std::string> numbersOf(std::int64_t officer_id);
  // Every officer's id, for a full reindex.
  std::vector<std::int64_t> allOfficerIds();

 private:
  std::optional<CertificateRecord> findOne(const std::string& number, bool lock);
  db::Connection& conn_;
};

}  // namespace portal::disclosure
