#pragma once

#include <optional>
#include <string>

#include "db/connection.h"
#include "portal/changes/doc_kind.h"
#include "portal/disclosure/decision.h"
#include "portal/disclosure/disclosure_store.h"
#include "portal/disclosure/officer_store.h"
#include "portal/publishing/catalog.h"
#include "search/document.h"

namespace portal::indexing {

// What the public index holds for a list item and for a department. Filters: department
// (slug), type (code), status (code), level, year; exact term: the item code.
search::Document itemDocument(const publishing::ListItem& item,
                              const publishing::Department& department);
search::Document departmentDocument(const publishing::Department& department);
// A published enforcement decision: its public text (a person's name masked), decision number
// as exact term, department filter, decision date.
search::Document decisionDocument(const disclosure::Decision& decision);
// An enforcement officer: title name and current certificate number, exact terms every number
// they held (so a replaced number finds them), filters department and status (in_force while
// the current certificate is active, cancelled once revoked).
search::Document officerDocument(const disclosure::CertificateRecord& current,
                                 const std::vector<std::string>& all_numbers);
// One section of a department's before-enforcement disclosure (key "<slug>/<section>"); filters
// department, status (in force), section; url: the section on the department's disclosure page.
search::Document disclosureDocument(const disclosure::SectionVersion& section,
                                    const publishing::Department& department);

// "<kind>:<key>", the document's id in the index. An item's key is
// publishing::itemDocKey(department id, code): item codes are unique within a department only.
std::string documentId(changes::DocKind kind, const std::string& doc_key);

// The current public state of a logged document, read from MariaDB; nullopt when it no
// longer exists (the index then removes it). Throws db::DbError.
std::optional<search::Document> loadDocument(db::Connection& conn, changes::DocKind kind,
                                             const std::string& doc_key);

}  // namespace portal::indexing
