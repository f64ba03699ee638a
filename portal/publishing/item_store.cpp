#include "portal/publishing/item_store.h"

#include "portal/publishing/legal_basis.h"

#include "db/error.h"
#include "portal/publishing/item_rows.h"

namespace portal::publishing {

Page<ItemSummary> ItemStore::listByDepartment(std::int64_t department_id,
                                              const ItemFilter& filter) {
  const std::string type = filter.type.value_or("");
  const std::string status = filter.status ? std::string(statusCode(*filter.status)) : "";
  Page<ItemSummary> page;
  page.page = filter.page;
  page.page_size = filter.page_size;
  db::Rows c = conn_.query(
      "SELECT COUNT(*) AS n FROM list_items WHERE department_id = ? "
      "AND (? = '' OR item_type = ?) AND (? = '' OR status = ?)",
      department_id, type, type, status, status);
  c.next();
  page.total = c.i64("n");
  const std::int64_t offset = static_cast<std::int64_t>(filter.page - 1) * filter.page_size;
  db::Rows r = conn_.query(
      "SELECT code, name, item_type, status, current_version, "
      "DATE_FORMAT(updated_at, '%Y-%m-%d') AS updated FROM list_items "
      "WHERE department_id = ? AND (? = '' OR item_type = ?) AND (? = '' OR status = ?) "
      "ORDER BY FIELD(status, 'in_force', 'delegated', 'cancelled'), "
      "FIELD(item_type, 'xk','cf','qz','zs','jf','jc','qr','jl','cj','qt'), code "
      "LIMIT ? OFFSET ?",
      department_id, type, type, status, status, filter.page_size, offset);
  while (r.next()) {
    ItemSummary s;
    s.code = r.str("code");
    s.name = r.str("name");
    s.type = r.str("item_type");
    s.status = parseStatus(r.str("status")).value_or(ItemStatus::InForce);
    s.version = static_cast<int>(r.i64("current_version"));
    s.updated_at = r.str("updated");
    page.rows.push_back(std::move(s));
  }
  return page;
}

std::vector<TypeCount> ItemStore::countsByType(std::int64_t department_id) {
  db::Rows r = conn_.query(
      "SELECT item_type, COUNT(*) AS n FROM list_items WHERE department_id = ? "
      "GROUP BY item_type",
      department_id);
  std::vector<TypeCount> out;
  for (const auto& t : itemTypes()) {
    r.rewind();
    while (r.next()) {
      if (r.str("item_type") == t.code) out.push_back(TypeCount{r.str("item_type"), r.i64("n")});
    }
  }
  return out;
}

std::optional<ListItem> ItemStore::findByCode(std::int64_t department_id, const std::string& code) {
  db::Rows r = conn_.query(std::string(kItemVersionColumns) +
                               "ON v.item_id = i.id AND v.version = i.current_version "
                               "WHERE i.department_id = ? AND i.code = ?",
                           department_id, code);
  if (!r.next()) return std::nullopt;
  ListItem item = readItemVersion(r);
  item.legal_bases = readLegalBases(conn_, r.i64("version_id"));
  return item;
}

std::vector<std::int64_t> ItemStore::departmentsWithCode(const std::string& code) {
  db::Rows r = conn_.query(
      "SELECT i.department_id FROM list_items i JOIN departments d ON d.id = i.department_id "
      "WHERE i.code = ? ORDER BY d.sort_order, d.id",
      code);
  std::vector<std::int64_t> out;
  while (r.next()) out.push_back(r.i64("department_id"));
  return out;
}

std::vector<ListItem> ItemStore::currentWithoutBases(std::int64_t department_id,
                                                     ItemStatus status) {
  db::Rows r = conn_.query(std::string(kItemVersionColumns) +
                               "ON v.item_id = i.id AND v.version = i.current_version "
                               "WHERE i.department_id = ? AND i.status = ? "
                               "ORDER BY FIELD(i.item_type, 'xk','cf','qz','zs','jf','jc','qr',"
                               "'jl','cj','qt'), i.code",
                           department_id, std::string(statusCode(status)));
  std::vector<ListItem> out;
  while (r.next()) out.push_back(readItemVersion(r));
  return out;
}

std::int64_t ItemStore::insertPublished(const ListItem& item) {
  conn_.execute(
      "INSERT INTO list_items (code, department_id, current_version, name, item_type, status) "
      "VALUES (?, ?, 1, ?, ?, ?)",
      item.code, item.department_id, item.name, item.type, std::string(statusCode(item.status)));
  const auto item_id = static_cast<std::int64_t>(conn_.lastInsertId());
  insertVersion(item_id, 1, item);
  return item_id;
}

int ItemStore::lockCurrentVersion(std::int64_t item_id) {
  db::Rows r =
      conn_.query("SELECT current_version FROM list_items WHERE id = ? FOR UPDATE", item_id);
  if (!r.next()) throw db::DbError("list item " + std::to_string(item_id) + " vanished");
  return static_cast<int>(r.i64("current_version"));
}

void ItemStore::publishVersion(std::int64_t item_id, int version, const ListItem& item) {
  insertVersion(item_id, version, item);
  conn_.execute(
      "UPDATE list_items SET current_version = ?, name = ?, item_type = ?, status = ?, "
      "updated_at = CURRENT_TIMESTAMP WHERE id = ?",
      version, item.name, item.type, std::string(statusCode(item.status)), item_id);
}

void ItemStore::insertVersion(std::int64_t item_id, int version, const ListItem& item) {
  conn_.execute(
      "INSERT INTO list_item_versions (item_id, version, name, item_type, sub_items, "
      "implementing_body, exercise_level, responsibilities, accountability, supervision_phone, "
      "remarks, status, effective_date, change_kind, change_reason, legal_trigger, published_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW())",
      item_id, version, item.name, item.type, joinLines(item.sub_items), item.implementing_body,
      item.level, joinLines(item.responsibilities), joinLines(item.accountability),
      item.supervision_phone, item.remarks, std::string(statusCode(item.status)),
      item.effective_date, std::string(changeKindCode(item.change_kind)), item.change_reason,
      item.legal_trigger.empty() ? std::optional<std::string>() : item.legal_trigger);
  const auto version_id = static_cast<std::int64_t>(conn_.lastInsertId());
  int position = 1;
  for (const auto& b : item.legal_bases) {
    conn_.execute(
        "INSERT INTO list_item_legal_bases (version_id, position, law_name, article, provision, "
        "as_written, law_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
        version_id, position++, b.law, b.article, b.text, b.written, lawKey(b.law));
  }
}

}  // namespace portal::publishing
