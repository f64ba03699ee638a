#include "portal/publishing/department_store.h"

#include <map>

namespace portal::publishing {

namespace {
constexpr const char* kColumns =
    "id, slug, name, short_name, description, main_duties, complaint_scope, hotline_phone, "
    "complaint_email, postal_address, office_hours, sort_order";

Department readDepartment(const db::Rows& r) {
  Department d;
  d.id = r.i64("id");
  d.slug = r.str("slug");
  d.name = r.str("name");
  d.short_name = r.str("short_name");
  d.description = r.str("description");
  d.main_duties = splitLines(r.str("main_duties"));
  d.complaint_scope = r.str("complaint_scope");
  d.hotline_phone = r.str("hotline_phone");
  d.complaint_email = r.str("complaint_email");
  d.postal_address = r.str("postal_address");
  d.office_hours = r.str("office_hours");
  d.sort_order = static_cast<int>(r.i64("sort_order"));
  return d;
}
}  // namespace

std::vector<DepartmentOverview> DepartmentStore::listOverviews() {
  db::Rows r =
      conn_.query(std::string("SELECT ") + kColumns + " FROM departments ORDER BY sort_order, id");
  std::vector<DepartmentOverview> out;
  std::map<std::int64_t, std::size_t> index;
  while (r.next()) {
    DepartmentOverview o;
    o.department = readDepartment(r);
    index[o.department.id] = out.size();
    out.push_back(std::move(o));
  }
  db::Rows c = conn_.query(
      "SELECT department_id, item_type, status, COUNT(*) AS n FROM list_items "
      "GROUP BY department_id, item_type, status");
  std::map<std::int64_t, std::map<std::string, std::int64_t>> by_type;
  while (c.next()) {
    auto it = index.find(c.i64("department_id"));
    if (it == index.end()) continue;
    DepartmentOverview& o = out[it->second];
    o.items_total += c.i64("n");
    if (c.str("status") == statusCode(ItemStatus::InForce)) {
      o.items_in_force += c.i64("n");
      by_type[o.department.id][c.str("item_type")] += c.i64("n");
    }
  }
  for (auto& o : out) {
    for (const auto& t : itemTypes()) {
      auto n = by_type[o.department.id][std::string(t.code)];
      if (n > 0) o.in_force_by_type.push_back(TypeCount{std::string(t.code), n});
    }
  }
  return out;
}

std::vector<Department> DepartmentStore::listAll() {
  db::Rows r =
      conn_.query(std::string("SELECT ") + kColumns + " FROM departments ORDER BY sort_order, id");
  std::vector<Department> out;
  while (r.next()) out.push_back(readDepartment(r));
  return out;
}

std::optional<Department> DepartmentStore::findBySlug(const std::string& slug) {
  db::Rows r =
      conn_.query(std::string("SELECT ") + kColumns + " FROM departments WHERE slug = ?", slug);
  if (!r.next()) return std::nullopt;
  return readDepartment(r);
}

std::optional<Department> DepartmentStore::findById(std::int64_t id) {
  db::Rows r =
      conn_.query(std::string("SELECT ") + kColumns + " FROM departments WHERE id = ?", id);
  if (!r.next()) return std::nullopt;
  return readDepartment(r);
}

std::int64_t DepartmentStore::count() {
  db::Rows r = conn_.query("SELECT COUNT(*) AS n FROM departments");
  r.next();
  return r.i64("n");
}

std::int64_t DepartmentStore::insert(const Department& d) {
  conn_.execute(
      "INSERT INTO departments (slug, name, short_name, description, main_duties, "
      "complaint_scope, hotline_phone, complaint_email, postal_address, office_hours, sort_order) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      d.slug, d.name, d.short_name, d.description, joinLines(d.main_duties), d.complaint_scope,
      d.hotline_phone, d.complaint_email, d.postal_address, d.office_hours, d.sort_order);
  return static_cast<std::int64_t>(conn_.lastInsertId());
}

}  // namespace portal::publishing
