#include "portal/indexing/documents.h"

#include "base/percent_encoding.h"
#include "base/whole_number.h"
#include "portal/disclosure/decision_store.h"
#include "portal/disclosure/disclosure_store.h"
#include "portal/disclosure/officer_store.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/item_store.h"

namespace portal::indexing {

using namespace portal::publishing;

using changes::DocKind;

namespace {
std::string kindName(DocKind kind) { return std::string(changes::docKindName(kind)); }
}  // namespace

std::string documentId(DocKind kind, const std::string& doc_key) {
  return kindName(kind) + ":" + doc_key;
}

search::Document itemDocument(const ListItem& item, const Department& department) {
  search::Document d;
  d.id = documentId(DocKind::Item, itemDocKey(item.department_id, item.code));
  d.kind = kindName(DocKind::Item);
  d.title = item.name;
  d.url = itemPath(department.slug, item.code);
  std::string bases;
  for (const auto& b : item.legal_bases) {
    bases += b.law + b.article + "：" + b.text + "\n";
    if (!b.written.empty()) bases += b.written + "\n";
  }
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
  d.id = documentId(DocKind::Department, department.slug);
  d.kind = kindName(DocKind::Department);
  d.title = department.name;
  d.url = "/departments/" + base::percentEncode(department.slug);
  // Name and description only: a department's duties and complaint scope mention every
  // subject it covers and would outrank the specific items a citizen is looking for.
  d.fields = {{"description", department.description + "\n" + department.short_name, 1}};
  d.filters["department"] = {department.slug};
  d.filters["status"] = {std::string(statusCode(ItemStatus::InForce))};
  return d;
}

search::Document decisionDocument(const disclosure::Decision& d) {
  search::Document doc;
  doc.id = documentId(DocKind::Decision, std::to_string(d.id));
  doc.kind = kindName(DocKind::Decision);
  doc.title = d.decision_number + " " + d.publicPartyName();
  doc.url = "/decisions/" + std::to_string(d.id);
  doc.fields = {
      {"facts", d.maskParty(d.facts), 2},
      {"basis", d.maskParty(d.legal_basis), 2},
      {"outcome", d.maskParty(d.outcome_text), 1},
      {"body", d.department_name, 1},
  };
  doc.filters["department"] = {d.department_slug};
  // Public decisions are in force: the search shows in-force records unless asked otherwise.
  doc.filters["status"] = {std::string(statusCode(ItemStatus::InForce))};
  doc.exact_terms = {d.decision_number};
  doc.date = d.decision_date.toString();
  return doc;
}

search::Document officerDocument(const disclosure::CertificateRecord& current,
                                 const std::vector<std::string>& all_numbers) {
  const auto& c = current.certificate;
  search::Document d;
  d.id = documentId(DocKind::Officer, std::to_string(c.officer_id));
  d.kind = kindName(DocKind::Officer);
  // Only what the roster publishes: name, number, department, category, region.
  d.title = current.officer_name + "（执法证号 " + c.number + "）";
  d.url = "/certificates/check?number=" + base::percentEncode(c.number);
  d.fields = {
      {"certificate", current.department_name + " 行政执法证 " + c.category + " " + c.region, 1}};
  d.filters["department"] = {current.department_slug};
  // Found by default while the officer holds a certificate; a revoked one only on request.
  d.filters["status"] = {std::string(statusCode(c.state == disclosure::CertificateState::Active
                                                    ? ItemStatus::InForce
                                                    : ItemStatus::Cancelled))};
  d.exact_terms = all_numbers;  // a replaced number still finds its holder
  d.date = c.issued_on;
  return d;
}

search::Document disclosureDocument(const disclosure::SectionVersion& section,
                                    const Department& department) {
  search::Document d;
  const std::string code = disclosure::sectionCode(section.section);
  d.id = documentId(DocKind::Disclosure, department.slug + "/" + code);
  d.kind = kindName(DocKind::Disclosure);
  d.title = department.name + " " + disclosure::sectionName(section.section);
  d.url = "/departments/" + base::percentEncode(department.slug) + "/disclosures#" + code;
  if (section.section == disclosure::Section::Bodies) {
    // A body's remit (职权范围) restates every subject its department covers. Its words find the
    // section but add no weight (0), so it never outranks the specific items a citizen looks
    // for, as a department's own duties are left out of its document (departmentDocument).
    d.fields = {{"disclosure", disclosure::rowsText(section.section, section.rows, "powers"), 1},
                {"powers", disclosure::columnText(section.rows, "powers"), 0}};
  } else {
    d.fields = {{"disclosure", disclosure::rowsText(section.section, section.rows), 1}};
  }
  d.filters["department"] = {department.slug};
  // Published disclosures are in force, so the default search (in-force only) finds them.
  d.filters["status"] = {std::string(statusCode(ItemStatus::InForce))};
  d.filters["section"] = {code};
  d.date = section.published_at.substr(0, 10);
  return d;
}

std::optional<search::Document> loadDocument(db::Connection& conn, DocKind kind,
                                             const std::string& doc_key) {
  DepartmentStore departments(conn);
  if (kind == DocKind::Item) {
    // key: <department id>/<code> (codes are unique within a department only)
    const auto key = parseItemDocKey(doc_key);
    if (!key) return std::nullopt;
    auto item = ItemStore(conn).findByCode(key->department_id, key->code);
    if (!item) return std::nullopt;
    auto department = departments.findById(item->department_id);
    if (!department) return std::nullopt;
    return itemDocument(*item, *department);
  }
  if (kind == DocKind::Department) {
    auto department = departments.findBySlug(doc_key);
    if (!department) return std::nullopt;
    return departmentDocument(*department);
  }
  if (kind == DocKind::Decision) {
    const auto id = base::parseWholeNumber(doc_key);
    if (!id) return std::nullopt;
    auto d = disclosure::DecisionStore(conn).find(*id);
    // Only a published decision is searchable; a withdrawn or retired one only says so on
    // its page.
    if (!d || d->state != disclosure::DecisionState::Published || d->retired) return std::nullopt;
    return decisionDocument(*d);
  }
  if (kind == DocKind::Officer) {
    const auto id = base::parseWholeNumber(doc_key);
    if (!id) return std::nullopt;
    const std::int64_t officer_id = *id;
    disclosure::OfficerStore officers(conn);
    auto current = officers.currentOf(officer_id);
    if (!current) return std::nullopt;
    return officerDocument(*current, officers.numbersOf(officer_id));
  }
  if (kind == DocKind::Disclosure) {
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
