#include "portal/publishing/item_rows.h"

namespace portal::publishing {

ListItem readItemVersion(const db::Rows& r) {
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

LegalBasis readLegalBasis(const db::Rows& b) {
  return LegalBasis{b.str("law_name"), b.str("article"), b.str("provision"), b.str("as_written")};
}

std::vector<LegalBasis> readLegalBases(db::Connection& conn, std::int64_t version_id) {
  db::Rows b = conn.query(
      "SELECT law_name, article, provision, as_written FROM list_item_legal_bases "
      "WHERE version_id = ? ORDER BY position",
      version_id);
  std::vector<LegalBasis> out;
  while (b.next()) out.push_back(readLegalBasis(b));
  return out;
}

}  // namespace portal::publishing
