#include "portal/publishing/catalog_service.h"

#include <algorithm>

#include "portal/publishing/amendment_store.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/item_store.h"

namespace portal::publishing {

namespace {
std::optional<Department> lookup(DepartmentStore& store, const std::string& slug_or_id) {
  if (!slug_or_id.empty() && slug_or_id.size() < 10 &&
      std::all_of(slug_or_id.begin(), slug_or_id.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    return store.findById(std::stoll(slug_or_id));
  }
  return store.findBySlug(slug_or_id);
}
}  // namespace

std::vector<DepartmentOverview> CatalogService::departments() {
  auto conn = pool_.acquire();
  return DepartmentStore(*conn).listOverviews();
}

std::vector<Department> CatalogService::departmentList() {
  auto conn = pool_.acquire();
  return DepartmentStore(*conn).listAll();
}

std::optional<Department> CatalogService::department(const std::string& slug_or_id) {
  auto conn = pool_.acquire();
  DepartmentStore store(*conn);
  return lookup(store, slug_or_id);
}

std::optional<DepartmentItems> CatalogService::departmentItems(const std::string& slug_or_id,
                                                               const ItemFilter& filter) {
  auto conn = pool_.acquire();
  DepartmentStore departments(*conn);
  auto d = lookup(departments, slug_or_id);
  if (!d) return std::nullopt;
  DepartmentItems out;
  out.department = *d;
  ItemStore items(*conn);
  out.items = items.listByDepartment(d->id, filter);
  for (auto& row : out.items.rows) row.department_slug = d->slug;
  out.counts_by_type = items.countsByType(d->id);
  return out;
}

std::vector<VersionRecord> CatalogService::history(const std::string& department,
                                                   const std::string& code) {
  auto conn = pool_.acquire();
  DepartmentStore departments(*conn);
  const auto d = lookup(departments, department);
  if (!d) return {};
  return VersionStore(*conn).history(d->id, code);
}

std::optional<ListItem> CatalogService::version(const std::string& department,
                                                const std::string& code, int version) {
  auto conn = pool_.acquire();
  DepartmentStore departments(*conn);
  const auto d = lookup(departments, department);
  if (!d) return std::nullopt;
  return VersionStore(*conn).version(d->id, code, version);
}

std::vector<VersionRecord> CatalogService::recentChanges(std::int64_t department_id, int limit) {
  auto conn = pool_.acquire();
  return VersionStore(*conn).recent(department_id, limit);
}

std::vector<ListItem> CatalogService::responsibilities(std::int64_t department_id) {
  auto conn = pool_.acquire();
  return ItemStore(*conn).currentWithoutBases(department_id, ItemStatus::InForce);
}

std::optional<ItemWithDepartment> CatalogService::item(const std::string& department,
                                                       const std::string& code) {
  auto conn = pool_.acquire();
  return itemOn(*conn, department, code);
}

std::optional<ItemWithDepartment> CatalogService::itemOn(db::Connection& conn,
                                                         const std::string& department,
                                                         const std::string& code) {
  DepartmentStore departments(conn);
  auto d = lookup(departments, department);
  if (!d) return std::nullopt;
  auto item = ItemStore(conn).findByCode(d->id, code);
  if (!item) return std::nullopt;
  auto flags = AmendmentStore(conn).activeFlags(item->id);
  return ItemWithDepartment{std::move(*item), std::move(*d), std::move(flags)};
}

std::optional<ItemHistory> CatalogService::itemHistory(const std::string& department,
                                                       const std::string& code,
                                                       std::optional<int> from,
                                                       std::optional<int> to) {
  auto conn = pool_.acquire();
  auto current = itemOn(*conn, department, code);
  if (!current) return std::nullopt;
  const std::int64_t department_id = current->department.id;
  ItemHistory h;
  h.to = to.value_or(current->item.version);
  h.from = from.value_or(h.to > 1 ? h.to - 1 : h.to);
  h.current = std::move(*current);
  VersionStore versions(*conn);
  h.history.versions = versions.history(department_id, code);
  h.history.departments = DepartmentStore(*conn).listAll();
  h.from_version = versions.version(department_id, code, h.from);
  h.to_version = versions.version(department_id, code, h.to);
  return h;
}

std::optional<ItemVersions> CatalogService::itemVersions(const std::string& department,
                                                         const std::string& code) {
  auto conn = pool_.acquire();
  DepartmentStore departments(*conn);
  const auto d = lookup(departments, department);
  if (!d) return std::nullopt;
  ItemVersions out{VersionStore(*conn).history(d->id, code), {}};
  if (out.versions.empty()) return std::nullopt;
  out.departments = departments.listAll();
  return out;
}

std::optional<ItemWithDepartment> CatalogService::itemVersion(const std::string& department,
                                                              const std::string& code,
                                                              int version) {
  auto conn = pool_.acquire();
  DepartmentStore departments(*conn);
  auto d = lookup(departments, department);
  if (!d) return std::nullopt;
  auto v = VersionStore(*conn).version(d->id, code, version);
  if (!v) return std::nullopt;
  return ItemWithDepartment{std::move(*v), std::move(*d), {}};
}

std::vector<ItemWithDepartment> CatalogService::itemsWithCode(const std::string& code) {
  auto conn = pool_.acquire();
  ItemStore items(*conn);
  DepartmentStore departments(*conn);
  std::vector<ItemWithDepartment> out;
  for (const std::int64_t department_id : items.departmentsWithCode(code)) {
    auto d = departments.findById(department_id);
    auto item = items.findByCode(department_id, code);
    if (!d || !item) continue;
    out.push_back(ItemWithDepartment{std::move(*item), std::move(*d), {}});
  }
  return out;
}

std::map<std::string, std::string> CatalogService::basisNotices() {
  std::map<std::string, std::string> out;
  auto conn = pool_.acquire();
  for (const auto& [key, kind] : AmendmentStore(*conn).activeFlagKinds()) out.emplace(key, flagNotice(kind));
  return out;
}

}  // namespace portal::publishing
