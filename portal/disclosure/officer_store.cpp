#include "portal/disclosure/officer_store.h"

namespace portal::disclosure {

namespace {

constexpr const char* kSelect =
    "SELECT c.id, c.officer_id, c.department_id, c.number, c.category, c.region, c.post, "
    "DATE_FORMAT(c.issued_on, '%Y-%m-%d') AS issued, "
    "DATE_FORMAT(c.last_inspected_on, '%Y-%m-%d') AS inspected, c.status, c.replaced_by_id, "
    "DATE_FORMAT(c.ended_on, '%Y-%m-%d') AS ended, c.end_reason, o.name AS officer_name, "
    "d.slug AS department_slug, d.name AS department_name, n.number AS replaced_by_number "
    "FROM officer_certificates c JOIN officers o ON o.id = c.officer_id "
    "JOIN departments d ON d.id = c.department_id "
    "LEFT JOIN officer_certificates n ON n.id = c.replaced_by_id ";

CertificateRecord readRecord(const db::Rows& r) {
  CertificateRecord rec;
  auto& c = rec.certificate;
  c.id = r.i64("id");
  c.officer_id = r.i64("officer_id");
  c.department_id = r.i64("department_id");
  c.number = r.str("number");
  c.category = r.str("category");
  c.region = r.str("region");
  c.post = r.str("post");
  c.issued_on = r.str("issued");
  c.last_inspected_on = r.optStr("inspected");
  c.state = parseCertificateState(r.str("status")).value_or(CertificateState::Active);
  c.replaced_by_id = r.optI64("replaced_by_id");
  c.ended_on = r.optStr("ended");
  c.end_reason = r.str("end_reason");
  rec.officer_name = r.str("officer_name");
  rec.department_slug = r.str("department_slug");
  rec.department_name = r.str("department_name");
  rec.replaced_by_number = r.optStr("replaced_by_number");
  return rec;
}

std::vector<CertificateRecord> readAll(db::Rows r) {
  std::vector<CertificateRecord> out;
  while (r.next()) out.push_back(readRecord(r));
  return out;
}

}  // namespace

std::int64_t OfficerStore::insertOfficer(std::int64_t department_id, const std::string& name) {
  conn_.execute("INSERT INTO officers (department_id, name) VALUES (?, ?)", department_id, name);
  return static_cast<std::int64_t>(conn_.lastInsertId());
}

std::int64_t OfficerStore::insertCertificate(const OfficerCertificate& c) {
  conn_.execute(
      "INSERT INTO officer_certificates (officer_id, department_id, number, category, region, "
      "post, issued_on, last_inspected_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      c.officer_id, c.department_id, c.number, c.category, c.region, c.post, c.issued_on,
      c.last_inspected_on, std::string(certificateStateCode(c.state)));
  return static_cast<std::int64_t>(conn_.lastInsertId());
}

std::optional<CertificateRecord> OfficerStore::findOne(const std::string& number, bool lock) {
  db::Rows r = conn_.query(
      std::string(kSelect) + "WHERE c.number = ?" + (lock ? " FOR UPDATE" : ""), number);
  if (!r.next()) return std::nullopt;
  return readRecord(r);
}

std::optional<CertificateRecord> OfficerStore::findByNumber(const std::string& number) {
  return findOne(number, false);
}

std::vector<CertificateRecord> OfficerStore::findByNumberWithoutProvince(
    const std::string& number_without_province, int limit) {
  // The caller passes a shape-checked number (digits and capitals only), so LIKE sees no
  // wildcard but the one leading '_' (exactly one character, a multi-byte one by ASCII() > 127).
  return readAll(conn_.query(std::string(kSelect) +
                                 "WHERE c.number LIKE CONCAT('_', ?) AND ASCII(c.number) > 127 "
                                 "ORDER BY c.id LIMIT ?",
                             number_without_province, limit));
}

std::optional<CertificateRecord> OfficerStore::lockByNumber(const std::string& number) {
  return findOne(number, true);
}

void OfficerStore::setLastInspected(std::int64_t certificate_id, const std::string& date) {
  conn_.execute("UPDATE officer_certificates SET last_inspected_on = ? WHERE id = ?", date,
                certificate_id);
}

void OfficerStore::markReplaced(std::int64_t certificate_id, std::int64_t new_id,
                                const std::string& ended_on, const std::string& reason) {
  conn_.execute(
      "UPDATE officer_certificates SET status = 'replaced', replaced_by_id = ?, ended_on = ?, "
      "end_reason = ? WHERE id = ?",
      new_id, ended_on, reason, certificate_id);
}

void OfficerStore::markRevoked(std::int64_t certificate_id, const std::string& ended_on,
                               const std::string& reason) {
  conn_.execute(
      "UPDATE officer_certificates SET status = 'revoked', ended_on = ?, end_reason = ? "
      "WHERE id = ?",
      ended_on, reason, certificate_id);
}

void OfficerStore::touchOfficer(std::int64_t officer_id) {
  conn_.execute("UPDATE officers SET updated_at = CURRENT_TIMESTAMP WHERE id = ?", officer_id);
}

std::vector<CertificateRecord> OfficerStore::roster(std::int64_t department_id) {
  return readAll(conn_.query(std::string(kSelect) +
                                 "WHERE o.department_id = ? AND o.active = 1 "
                                 "AND c.status <> 'replaced' ORDER BY o.name, c.id",
                             department_id));
}

std::vector<CertificateRecord> OfficerStore::activeCertificates() {
  return readAll(conn_.query(std::string(kSelect) + "WHERE c.status = 'active' AND o.active = 1 "
                                                    "ORDER BY d.sort_order, d.id, o.name, c.id"));
}

std::optional<CertificateRecord> OfficerStore::currentOf(std::int64_t officer_id) {
  db::Rows r = conn_.query(std::string(kSelect) +
                               "WHERE c.officer_id = ? AND c.status <> 'replaced' "
                               "ORDER BY c.id DESC LIMIT 1",
                           officer_id);
  if (!r.next()) return std::nullopt;
  return readRecord(r);
}

std::vector<std::string> OfficerStore::numbersOf(std::int64_t officer_id) {
  db::Rows r = conn_.query(
      "SELECT number FROM officer_certificates WHERE officer_id = ? ORDER BY id", officer_id);
  std::vector<std::string> out;
  while (r.next()) out.push_back(r.str("number"));
  return out;
}

std::vector<std::int64_t> OfficerStore::allOfficerIds() {
  db::Rows r = conn_.query("SELECT id FROM officers WHERE active = 1 ORDER BY id");
  std::vector<std::int64_t> out;
  while (r.next()) out.push_back(r.i64("id"));
  return out;
}

}  // namespace portal::disclosure
