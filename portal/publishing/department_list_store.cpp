#include "portal/publishing/department_list_store.h"

#include <unordered_map>

namespace portal::publishing {

std::vector<ListItem> DepartmentListStore::currentItems(std::int64_t department_id,
                                                        bool lock_for_update) {
  // Locking reads always see the latest committed rows, whatever snapshot the transaction
  // holds; the plain reads see the transaction's snapshot.
  const std::string_view items_sql =
      "SELECT i.id, i.code, i.department_id, v.id AS version_id, v.version, v.name, "
      "v.item_type, v.sub_items, v.implementing_body, v.exercise_level, v.responsibilities, "
      "v.accountability, v.supervision_phone, v.remarks, v.status, "
      "DATE_FORMAT(v.effective_date, '%Y-%m-%d') AS effective, v.change_kind, v.change_reason, "
      "v.legal_trigger, DATE_FORMAT(v.published_at, '%Y-%m-%d %H:%i:%s') AS published "
      "FROM list_items i JOIN list_item_versions v "
      "ON v.item_id = i.id AND v.version = i.current_version WHERE i.department_id = ? "
      "ORDER BY FIELD(i.status, 'in_force', 'delegated', 'cancelled'), "
      "FIELD(i.item_type, 'xk','cf','qz','zs','jf','jc','qr','jl','cj','qt'), i.code";
  db::Rows r = lock_for_update ? conn_.query(std::string(items_sql) + " FOR UPDATE", department_id)
                               : conn_.query(items_sql, department_id);
  std::vector<ListItem> items;
  items.reserve(r.size());
  std::unordered_map<std::int64_t, std::size_t> by_version_id;
  while (r.next()) {
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
    by_version_id.emplace(r.i64("version_id"), items.size());
    items.push_back(std::move(item));
  }
  const std::string_view bases_sql =
      "SELECT b.version_id, b.law_name, b.article, b.provision FROM list_item_legal_bases b "
      "JOIN list_item_versions v ON v.id = b.version_id "
      "JOIN list_items i ON i.id = v.item_id AND v.version = i.current_version "
      "WHERE i.department_id = ? ORDER BY b.version_id, b.position";
  db::Rows b = lock_for_update
                   ? conn_.query(std::string(bases_sql) + " LOCK IN SHARE MODE", department_id)
                   : conn_.query(bases_sql, department_id);
  while (b.next()) {
    const auto it = by_version_id.find(b.i64("version_id"));
    if (it == by_version_id.end()) continue;  // published between the two reads
    items[it->second].legal_bases.push_back(
        LegalBasis{b.str("law_name"), b.str("article"), b.str("provision")});
  }
  return items;
}

std::vector<CodeOwner> DepartmentListStore::codesOfOtherDepartments(std::int64_t department_id) {
  db::Rows r = conn_.query(
      "SELECT i.code, i.department_id, d.name FROM list_items i "
      "JOIN departments d ON d.id = i.department_id WHERE i.department_id <> ?",
      department_id);
  std::vector<CodeOwner> out;
  out.reserve(r.size());
  while (r.next()) out.push_back(CodeOwner{r.str("code"), r.i64("department_id"), r.str("name")});
  return out;
}

}  // namespace portal::publishing
