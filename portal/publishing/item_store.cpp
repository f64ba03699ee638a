#include "portal/publishing/item_store.h"

#include "db/error.h"

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

namespace {
constexpr const char* kCurrentVersionSelect =
    "SELECT i.id, i.code, i.department_id, v.id AS version_id, v.version, v.name, "
    "v.item_type, v.sub_items, v.implementing_body, v.exercise_level, v.responsibilities, "
    "v.accountability, v.supervision_phone, v.remarks, v.status, "
    "DATE_FORMAT(v.effective_date, '%Y-%m-%d') AS effective, v.change_kind, v.change_reason, "
    "v.legal_trigger, DATE_FORMAT(v.published_at, '%Y-%m-%d %H:%i:%s') AS published "
    "FROM list_items i JOIN list_item_versions v "
    "ON v.item_id = i.id AND v.version = i.current_version ";

ListItem readItem(const db::Rows& r) {
  ListItem item;
  item.id = r.i64("id");
  item.code = r.str("code");
  item.department_id = r.i64("department_id");
  item.version = static_cast<int>(r.i64("version"));
  item.name = r.str("name");
  item.type = r.str("item_type");
  item.sub_items = splitLines(r.str("sub_items"));
  item.implementing_body = r.str("implementing_body");
  item.level = r.str("exercise_level");
  item.responsibilities = splitLines(r.str("responsibilities"));
  item.accountability = splitLines(r.str("accountability"));
  item.supervision_phone = r.str("supervision_phone");
  item.remarks = r.str("remarks");
  item.status = parseStatus(r.str("status")).value_or(ItemStatus::InForce);
  item.effective_date = r.str("effective");
  item.change_kind = parseChangeKind(r.str("change_kind")).value_or(ChangeKind::Create);
  item.change_reason = r.str("change_reason");
  item.legal_trigger = r.str("legal_trigger");
  item.published_at = r.str("published");
  return item;
}
}  // namespace

std::optional<ListItem> ItemStore::findByCode(const std::string& code) {
  db::Rows r = conn_.query(std::string(kCurrentVersionSelect) + "WHERE i.code = ?", code);
  if (!r.next()) return std::nullopt;
  ListItem item = readItem(r);
  db::Rows b = conn_.query(
      "SELECT law_name, article, provision FROM list_item_legal_bases "
      "WHERE version_id = ? ORDER BY position",
      r.i64("version_id"));
  while (b.next()) {
    item.legal_bases.push_back(LegalBasis{b.str("law_name"), b.str("article"), b.str("provision")});
  }
  return item;
}

std::vector<ListItem> ItemStore::currentWithoutBases(std::int64_t department_id,
                                                     ItemStatus status) {
  db::Rows r = conn_.query(std::string(kCurrentVersionSelect) +
                               "WHERE i.department_id = ? AND i.status = ? "
                               "ORDER BY FIELD(i.item_type, 'xk','cf','qz','zs','jf','jc','qr',"
                               "'jl','cj','qt'), i.code",
                           department_id, std::string(statusCode(status)));
  std::vector<ListItem> out;
  while (r.next()) out.push_back(readItem(r));
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
        "INSERT INTO list_item_legal_bases (version_id, position, law_name, article, provision) "
        "VALUES (?, ?, ?, ?, ?)",
        version_id, position++, b.law, b.article, b.text);
  }
}

}  // namespace portal::publishing
