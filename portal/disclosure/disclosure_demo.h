#pragma once

#include <string>

#include "db/pool.h"

namespace portal::disclosure {

// Loads the demo before-enforcement disclosures compiled in from db/seed/disclosures.json as
// version 1 of each section, with their search change-log rows, in one transaction — only
// when no department has any disclosure yet, and only for departments that exist. Returns the
// number of sections loaded (0: nothing touched). Throws std::runtime_error when the demo data
// itself is invalid (a build mistake), db::DbError on database failure.
int loadDemoDisclosures(db::Pool& pool);
// The same from JSON text (for tests).
int loadDemoDisclosuresJson(db::Pool& pool, const std::string& json_text);

}  // namespace portal::disclosure
