#include "portal/publishing/amendment_store.h"

namespace portal::publishing {

namespace {

// How one basis's citation is listed: its article(s), else the basis as written when that
// says more than the title, else "未列条款" (the list cites the law as a whole).
std::string citation(const db::Rows& r) {
  if (!r.str("article").empty()) return r.str("article");
  const std::string written = r.str("as_written");
  if (!written.empty() && written != r.str("law_name")) return written;
  return "未列条款";
}

LawAmendment readAmendment(const db::Rows& r) {
  LawAmendment a;
  a.id = r.i64("id");
  a.title = r.str("title");
  a.key = r.str("law_key");
  a.kind = parseAmendmentKind(r.str("kind")).value_or(AmendmentKind::Amended);
  a.reason = r.str("note");
  a.flagged_by = r.str("by_name");
  a.created_at = r.str("at");
  a.flagged = r.i64("flagged");
  a.pending = r.i64("pending");
  return a;
}

// An item that cites a law, from a row with the item's and its department's columns (item_id,
// code, name, status, department_id, department_name, slug) and its version in `version_column`.
CitingItem readCitingItem(const db::Rows& r, const char* version_column) {
  CitingItem c;
  c.item_id = r.i64("item_id");
  c.code = r.str("code");
  c.name = r.str("name");
  c.status = parseStatus(r.str("status")).value_or(ItemStatus::InForce);
  c.version = static_cast<int>(r.i64(version_column));
  c.department_id = r.i64("department_id");
  c.department_name = r.str("department_name");
  c.department_slug = r.str("slug");
  return c;
}

constexpr const char* kAmendmentColumns =
    "SELECT a.id, a.title, a.law_key, a.kind, a.note, COALESCE(s.username, 'portalctl') AS by_name, "
    "DATE_FORMAT(a.created_at, '%Y-%m-%d %H:%i') AS at, "
    "(SELECT COUNT(*) FROM list_item_basis_flags f WHERE f.amendment_id = a.id) AS flagged, "
    "(SELECT COUNT(*) FROM list_item_basis_flags f JOIN list_items i ON i.id = f.item_id "
    " AND i.current_version = f.flagged_version WHERE f.amendment_id = a.id) AS pending "
    "FROM law_amendments a LEFT JOIN accounts s ON s.id = a.created_by ";

}  // namespace

std::vector<CitingItem> AmendmentStore::citingItems(const std::string& law_key) {
  db::Rows r = conn_.query(
      "SELECT i.id AS item_id, i.code, i.name, i.status, i.current_version, "
      "d.id AS department_id, d.name AS department_name, d.slug, "
      "b.law_name, b.article, b.as_written, "
      "EXISTS (SELECT 1 FROM list_item_basis_flags f WHERE f.item_id = i.id "
      "        AND f.flagged_version = i.current_version) AS flagged "
      "FROM list_item_legal_bases b "
      "JOIN list_item_versions v ON v.id = b.version_id "
      "JOIN list_items i ON i.id = v.item_id AND i.current_version = v.version "
      "JOIN departments d ON d.id = i.department_id "
      "WHERE b.law_key = ? AND i.status <> 'cancelled' "
      "ORDER BY d.sort_order, d.id, i.code, b.position",
      law_key);
  std::vector<CitingItem> out;
  while (r.next()) {
    const std::int64_t id = r.i64("item_id");
    if (out.empty() || out.back().item_id != id) {
      CitingItem c = readCitingItem(r, "current_version");
      c.flagged = r.i64("flagged") != 0;
      out.push_back(std::move(c));
    }
    out.back().articles.push_back(citation(r));
  }
  return out;
}

bool AmendmentStore::lockItem(std::int64_t item_id) {
  return conn_.query("SELECT id FROM list_items WHERE id = ? FOR UPDATE", item_id).next();
}

std::int64_t AmendmentStore::insertAmendment(const std::string& title, const std::string& law_key,
                                             AmendmentKind kind, const std::string& reason,
                                             std::optional<std::int64_t> account_id) {
  conn_.execute(
      "INSERT INTO law_amendments (title, law_key, kind, note, created_by) VALUES (?, ?, ?, ?, ?)",
      title, law_key, std::string(amendmentKindCode(kind)), reason, account_id);
  return static_cast<std::int64_t>(conn_.lastInsertId());
}

void AmendmentStore::insertFlag(std::int64_t amendment_id, const CitingItem& item) {
  conn_.execute(
      "INSERT INTO list_item_basis_flags (item_id, amendment_id, flagged_version, articles) "
      "VALUES (?, ?, ?, ?)",
      item.item_id, amendment_id, item.version, joinLines(item.articles));
}

std::vector<LawAmendment> AmendmentStore::recent(int limit) {
  db::Rows r = conn_.query(std::string(kAmendmentColumns) + "ORDER BY a.id DESC LIMIT ?", limit);
  std::vector<LawAmendment> out;
  while (r.next()) out.push_back(readAmendment(r));
  return out;
}

std::optional<LawAmendment> AmendmentStore::find(std::int64_t id) {
  db::Rows r = conn_.query(std::string(kAmendmentColumns) + "WHERE a.id = ?", id);
  if (!r.next()) return std::nullopt;
  return readAmendment(r);
}

std::vector<FlaggedItem> AmendmentStore::flaggedItems(std::int64_t amendment_id) {
  db::Rows r = conn_.query(
      "SELECT i.id AS item_id, i.code, i.name, i.status, i.current_version, f.flagged_version, "
      "f.articles, d.id AS department_id, d.name AS department_name, d.slug "
      "FROM list_item_basis_flags f JOIN list_items i ON i.id = f.item_id "
      "JOIN departments d ON d.id = i.department_id "
      "WHERE f.amendment_id = ? ORDER BY d.sort_order, d.id, i.code",
      amendment_id);
  std::vector<FlaggedItem> out;
  while (r.next()) {
    FlaggedItem f;
    f.item = readCitingItem(r, "flagged_version");
    f.item.articles = splitLines(r.str("articles"));
    f.current_version = static_cast<int>(r.i64("current_version"));
    f.item.flagged = !f.updated();
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<BasisFlag> AmendmentStore::activeFlags(std::int64_t item_id) {
  db::Rows r = conn_.query(
      "SELECT a.id, a.title, a.kind, a.note, f.articles, "
      "DATE_FORMAT(f.created_at, '%Y-%m-%d') AS at "
      "FROM list_item_basis_flags f "
      "JOIN list_items i ON i.id = f.item_id AND i.current_version = f.flagged_version "
      "JOIN law_amendments a ON a.id = f.amendment_id "
      "WHERE f.item_id = ? ORDER BY f.id",
      item_id);
  std::vector<BasisFlag> out;
  while (r.next()) {
    BasisFlag b;
    b.amendment_id = r.i64("id");
    b.title = r.str("title");
    b.kind = parseAmendmentKind(r.str("kind")).value_or(AmendmentKind::Amended);
    b.reason = r.str("note");
    b.articles = splitLines(r.str("articles"));
    b.flagged_at = r.str("at");
    out.push_back(std::move(b));
  }
  return out;
}

std::map<std::string, AmendmentKind> AmendmentStore::activeFlagKinds() {
  std::map<std::string, AmendmentKind> out;
  db::Rows r = conn_.query(
      "SELECT DISTINCT i.department_id, i.code, a.kind FROM list_item_basis_flags f "
      "JOIN list_items i ON i.id = f.item_id AND i.current_version = f.flagged_version "
      "JOIN law_amendments a ON a.id = f.amendment_id");
  while (r.next()) {
    const auto kind = parseAmendmentKind(r.str("kind")).value_or(AmendmentKind::Amended);
    auto [it, inserted] = out.emplace(itemDocKey(r.i64("department_id"), r.str("code")), kind);
    if (!inserted && kind == AmendmentKind::Repealed) it->second = kind;
  }
  return out;
}

}  // namespace portal::publishing
