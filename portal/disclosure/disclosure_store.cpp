#include "portal/disclosure/disclosure_store.h"

#include <algorithm>

namespace portal::disclosure {

namespace {

constexpr const char* kVersionColumns =
    "d.section, v.version, v.content, v.change_reason, "
    "DATE_FORMAT(v.created_at, '%Y-%m-%d %H:%i') AS published";

SectionVersion readVersion(const db::Rows& r) {
  SectionVersion v;
  v.section = parseSection(r.str("section")).value_or(Section::Bodies);
  v.version = static_cast<int>(r.i64("version"));
  v.rows = rowsFromJson(v.section, nlohmann::json::parse(r.str("content")));
  v.reason = r.str("change_reason");
  v.published_at = r.str("published");
  return v;
}

}  // namespace

std::vector<SectionVersion> DisclosureStore::current(std::int64_t department_id) {
  db::Rows r =
      conn_.query(std::string("SELECT ") + kVersionColumns +
                      " FROM enforcement_disclosures d JOIN enforcement_disclosure_versions v"
                      " ON v.disclosure_id = d.id AND v.version = d.current_version"
                      " WHERE d.department_id = ?",
                  department_id);
  std::vector<SectionVersion> out;
  while (r.next()) out.push_back(readVersion(r));
  std::sort(out.begin(), out.end(), [](const SectionVersion& a, const SectionVersion& b) {
    return static_cast<int>(a.section) < static_cast<int>(b.section);
  });
  return out;
}

std::optional<SectionVersion> DisclosureStore::current(std::int64_t department_id,
                                                       Section section) {
  db::Rows r =
      conn_.query(std::string("SELECT ") + kVersionColumns +
                      " FROM enforcement_disclosures d JOIN enforcement_disclosure_versions v"
                      " ON v.disclosure_id = d.id AND v.version = d.current_version"
                      " WHERE d.department_id = ? AND d.section = ?",
                  department_id, sectionCode(section));
  if (!r.next()) return std::nullopt;
  return readVersion(r);
}

std::vector<SectionVersion> DisclosureStore::history(std::int64_t department_id, Section section) {
  db::Rows r =
      conn_.query(std::string("SELECT ") + kVersionColumns +
                      " FROM enforcement_disclosures d JOIN enforcement_disclosure_versions v"
                      " ON v.disclosure_id = d.id"
                      " WHERE d.department_id = ? AND d.section = ? ORDER BY v.version DESC",
                  department_id, sectionCode(section));
  std::vector<SectionVersion> out;
  while (r.next()) out.push_back(readVersion(r));
  return out;
}

int DisclosureStore::lockCurrentVersion(std::int64_t department_id, Section section) {
  db::Rows r = conn_.query(
      "SELECT current_version FROM enforcement_disclosures WHERE department_id = ? AND section = ? "
      "FOR UPDATE",
      department_id, sectionCode(section));
  if (!r.next()) return 0;
  return static_cast<int>(r.i64("current_version"));
}

void DisclosureStore::appendVersion(std::int64_t department_id, Section section, int version,
                                    const std::vector<Row>& rows, const std::string& reason,
                                    std::optional<std::int64_t> author_id) {
  if (version == 1) {
    conn_.execute(
        "INSERT INTO enforcement_disclosures (department_id, section, current_version) "
        "VALUES (?, ?, 1)",
        department_id, sectionCode(section));
  } else {
    conn_.execute(
        "UPDATE enforcement_disclosures SET current_version = ?, updated_at = CURRENT_TIMESTAMP "
        "WHERE department_id = ? AND section = ?",
        version, department_id, sectionCode(section));
  }
  conn_.execute(
      "INSERT INTO enforcement_disclosure_versions "
      "(disclosure_id, version, content, change_reason, author_id) "
      "SELECT id, ?, ?, ?, ? FROM enforcement_disclosures WHERE department_id = ? AND section = ?",
      version, rowsToJson(section, rows).dump(), reason, author_id, department_id,
      sectionCode(section));
}

std::vector<DisclosureSummary> DisclosureStore::summaries() {
  db::Rows r = conn_.query(
      "SELECT department_id, COUNT(*) AS n, DATE_FORMAT(MAX(updated_at), '%Y-%m-%d') AS updated "
      "FROM enforcement_disclosures GROUP BY department_id");
  std::vector<DisclosureSummary> out;
  while (r.next()) {
    out.push_back(
        DisclosureSummary{r.i64("department_id"), static_cast<int>(r.i64("n")), r.str("updated")});
  }
  return out;
}

std::vector<std::string> DisclosureStore::publishedKeys() {
  db::Rows r = conn_.query(
      "SELECT p.slug, d.section FROM enforcement_disclosures d "
      "JOIN departments p ON p.id = d.department_id ORDER BY d.id");
  std::vector<std::string> out;
  while (r.next()) out.push_back(r.str("slug") + "/" + r.str("section"));
  return out;
}

bool DisclosureStore::empty() {
  db::Rows r = conn_.query("SELECT COUNT(*) AS n FROM enforcement_disclosures");
  r.next();
  return r.i64("n") == 0;
}

}  // namespace portal::disclosure
