#pragma once

#include <cstdint>
#include <vector>

#include "db/connection.h"
#include "portal/publishing/catalog.h"

namespace portal::publishing {

// Shared by the stores that read item versions: the columns of one version joined to its item
// (FROM list_items i JOIN list_item_versions v ...; the caller adds ON/WHERE), and the reader.
inline constexpr const char* kItemVersionColumns =
    "SELECT i.id, i.code, i.department_id, v.id AS version_id, v.version, v.name, "
    "v.item_type, v.sub_items, v.implementing_body, v.exercise_level, v.responsibilities, "
    "v.accountability, v.supervision_phone, v.remarks, v.status, "
    "DATE_FORMAT(v.effective_date, '%Y-%m-%d') AS effective, v.change_kind, v.change_reason, "
    "v.legal_trigger, DATE_FORMAT(v.published_at, '%Y-%m-%d %H:%i:%s') AS published "
    "FROM list_items i JOIN list_item_versions v ";

ListItem readItemVersion(const db::Rows& row);  // without legal bases
// One row with the columns law_name, article, provision, as_written of list_item_legal_bases.
LegalBasis readLegalBasis(const db::Rows& row);
std::vector<LegalBasis> readLegalBases(db::Connection& conn, std::int64_t version_id);

}  // namespace portal::publishing
