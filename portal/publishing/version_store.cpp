#include "portal/publishing/version_store.h"

#include "portal/publishing/item_rows.h"

namespace portal::publishing {

namespace {
constexpr const char* kRecordColumns =
    "SELECT i.code, i.department_id, v.version, v.name, v.status, v.change_kind, "
    "v.change_reason, v.legal_trigger, "
    "DATE_FORMAT(v.published_at, '%Y-%m-%d %H:%i:%s') AS published "
    "FROM list_item_versions v JOIN list_items i ON i.id = v.item_id ";

VersionRecord readRecord(const db::Rows& r) {
  VersionRecord v;
  v.code = r.str("code");
  v.name = r.str("name");
  v.department_id = r.i64("department_id");
  v.version = static_cast<int>(r.i64("version"));
  v.status = parseStatus(r.str("status")).value_or(ItemStatus::InForce);
  v.change_kind = parseChangeKind(r.str("change_kind")).value_or(ChangeKind::Create);
  v.change_reason = r.str("change_reason");
  v.legal_trigger = r.str("legal_trigger");
  v.published_at = r.str("published");
  return v;
}
}  // namespace

std::vector<VersionRecord> VersionStore::history(std::int64_t department_id,
                                                 const std::string& code) {
  db::Rows r = conn_.query(std::string(kRecordColumns) +
                               "WHERE i.department_id = ? AND i.code = ? "
                               "AND v.published_at IS NOT NULL ORDER BY v.version DESC",
                           department_id, code);
  std::vector<VersionRecord> out;
  while (r.next()) out.push_back(readRecord(r));
  return out;
}

std::optional<ListItem> VersionStore::version(std::int64_t department_id, const std::string& code,
                                              int version) {
  db::Rows r = conn_.query(std::string(kItemVersionColumns) +
                               "ON v.item_id = i.id WHERE i.department_id = ? AND i.code = ? "
                               "AND v.version = ? AND v.published_at IS NOT NULL",
                           department_id, code, version);
  if (!r.next()) return std::nullopt;
  ListItem item = readItemVersion(r);
  item.legal_bases = readLegalBases(conn_, r.i64("version_id"));
  return item;
}

std::vector<VersionRecord> VersionStore::recent(std::int64_t department_id, int limit) {
  db::Rows r = conn_.query(std::string(kRecordColumns) +
                               "WHERE v.published_at IS NOT NULL "
                               "AND (? = 0 OR i.department_id = ?) "
                               "ORDER BY v.published_at DESC, v.id DESC LIMIT ?",
                           department_id, department_id, limit);
  std::vector<VersionRecord> out;
  while (r.next()) out.push_back(readRecord(r));
  return out;
}

}  // namespace portal::publishing
