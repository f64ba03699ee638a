#include "portal/indexing/documents.h"

#include "portal/disclosure/disclosure_store.h"
#include "portal/http/url.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/item_store.h"

namespace portal::indexing {

using namespace portal::publishing;

std::string documentId(const std::string& doc_kind, const std::string& doc_key) {
  return doc_kind + ":" + doc_key;
}

search::Document itemDocument(const ListItem& item, const Department& department) {
  search::Document d;
  d.id = documentId("item", item.code);
  d.kind = "item";
  d.title = item.name;
  d.url = "/items/" + http::percentEncode(item.code);
  std::string bases;
  for (const auto& b : item.legal_bases) bases += b.law + b.article + "：" + b.text + "\n";
  d.fields = {
      {"basis", bases, 2},
      {"sub_items", joinLines(item.sub_items), 2},
      {"body", item.implementing_body + " " + itemTypeName(item.type), 1},
      {"duties", joinLines(item.responsibilities), 1},
      {"accountability", joinLines(item.accountability), 1},
      {"remarks", item.remarks, 1},
  };
  d.filters["department"] = {department.slug};
  d.filters["type"] = {item.type};
  d.filters["status"] = {std::string(statusCode(item.status))};
  if (!item.level.empty()) d.filters["level"] = {item.level};
  d.exact_terms = {item.code};
  d.date = item.effective_date;
  return d;
}

search::Document departmentDocument(const Department& department) {
  search::Document d;
  d.id = documentId("department", department.slug);
  d.kind = "department";
  d.title = department.name;
  d.url = "/departments/" + http::percentEncode(department.slug);
  // Name and description only: a department's duties and complaint scope mention every
  // subject it covers and would outrank the specific items a citizen is looking for.
  d.fields = {{"description", department.description + "\n" + department.short_name, 1}};
  d.filters["department"] = {department.slug};
  d.filters["status"] = {std::string(statusCode(ItemStatus::InForce))};
  return d;
}

search::Document disclosureDocument(const disclosure::SectionVersion& section,
                                    const Department& department) {
  search::Document d;
  const std::string code = disclosure::sectionCode(section.section);
  d.id = documentId("disclosure", department.slug + "/" + code);
  d.kind = "disclosure";
  d.title = department.name + " " + disclosure::sectionName(section.section);
  d.url = "/departments/" + http::percentEncode(department.slug) + "/disclosures#" + code;
  d.fields = {{"disclosure", disclosure::rowsText(section.section, section.rows), 2}};
  d.filters["department"] = {department.slug};
  // Published disclosures are in force, so the default search (in-force only) finds them.
  d.filters["status"] = {std::string(statusCode(ItemStatus::InForce))};
  d.filters["section"] = {code};
  d.date = section.published_at.substr(0, 10);
  return d;
}

std::optional<search::Document> loadDocument(db::Connection& conn, const std::string& doc_kind,
                                             const std::string& doc_key) {
  DepartmentStore departments(conn);
  if (doc_kind == "item") {
    auto item = ItemStore(conn).findByCode(doc_key);
    if (!item) return std::nullopt;
    auto department = departments.findById(item->department_id);
    if (!department) return std::nullopt;
    return itemDocument(*item, *department);
  }
  if (doc_kind == "department") {
    auto department = departments.findBySlug(doc_key);
    if (!department) return std::nullopt;
    return departmentDocument(*department);
  }
  if (doc_kind == "disclosure") {
    // key: <department slug>/<section code>
    const auto slash = doc_key.find('/');
    if (slash == std::string::npos) return std::nullopt;
    const auto section = disclosure::parseSection(doc_key.substr(slash + 1));
    auto department = departments.findBySlug(doc_key.substr(0, slash));
    if (!section || !department) return std::nullopt;
    auto current = disclosure::DisclosureStore(conn).current(department->id, *section);
    if (!current) return std::nullopt;
    return disclosureDocument(*current, *department);
  }
  return std::nullopt;
}

}  // namespace portal::indexing
