#pragma once

#include <string>

#include "db/pool.h"
#include "hotline/calendar_service.h"
#include "portal/disclosure/disclosure_options.h"

namespace portal::disclosure {

// Loads the demo decisions (db/seed/decisions.json) with dates relative to `today`: decided,
// published and withdrawn as the file says, each published one in the search change log.
// One transaction; only into a database without decisions. Returns how many were loaded.
// Throws std::runtime_error for invalid demo data, db::DbError on database failure.
int loadDemoDecisions(db::Pool& pool, const hotline::WorkingCalendar& calendar,
                      const DisclosureOptions& options, const hotline::CivilDate& today,
                      const std::string& json_text);
// The same from the decisions.json compiled into the binary.
int loadShippedDemoDecisions(db::Pool& pool, const hotline::WorkingCalendar& calendar,
                             const DisclosureOptions& options, const hotline::CivilDate& today);

}  // namespace portal::disclosure
