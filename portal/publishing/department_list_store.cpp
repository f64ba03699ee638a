#include "portal/publishing/department_list_store.h"

#include <unordered_map>

#include "portal/publishing/item_rows.h"

namespace portal::publishing {

std::vector<ListItem> DepartmentListStore::currentItems(std::int64_t department_id,
                                                        bool lock_for_update) {
  // Locking reads always see the latest committed rows, whatever snapshot the transaction
  // holds; the plain reads see the transaction's snapshot.
  const std::string items_sql =
      std::string(kItemVersionColumns) +
      "ON v.item_id = i.id AND v.version = i.current_version WHERE i.department_id = ? "
      "ORDER BY FIELD(i.status, 'in_force', 'delegated', 'cancelled'), "
      "FIELD(i.item_type, 'xk','cf','qz','zs','jf','jc','qr','jl','cj','qt'), i.code";
  db::Rows r = lock_for_update ? conn_.query(items_sql + " FOR UPDATE", department_id)
                               : conn_.query(items_sql, department_id);
  std::vector<ListItem> items;
  items.reserve(r.size());
  std::unordered_map<std::int64_t, std::size_t> by_version_id;
  while (r.next()) {
    ListItem item = readItemVersion(r);
    by_version_id.emplace(r.i64("version_id"), items.size());
    items.push_back(std::move(item));
  }
  const std::string_view bases_sql =
      "SELECT b.version_id, b.law_name, b.article, b.provision, b.as_written FROM list_item_legal_bases b "
      "JOIN list_item_versions v ON v.id = b.version_id "
      "JOIN list_items i ON i.id = v.item_id AND v.version = i.current_version "
      "WHERE i.department_id = ? ORDER BY b.version_id, b.position";
  db::Rows b = lock_for_update
                   ? conn_.query(std::string(bases_sql) + " LOCK IN SHARE MODE", department_id)
                   : conn_.query(bases_sql, department_id);
  while (b.next()) {
    const auto it = by_version_id.find(b.i64("version_id"));
    if (it == by_version_id.end()) continue;  // published between the two reads
    items[it->second].legal_bases.push_back(readLegalBasis(b));
  }
  return items;
}

}  // namespace portal::publishing
