#pragma once

#include <string>

#include "db/connection.h"

namespace portal::disclosure {

// Loads demo officers from JSON of the shape of db/seed/officers.json, on the caller's
// connection inside the caller's transaction, with their search change-log rows. Officers of
// departments that do not exist are skipped. Returns how many officers were loaded. Throws
// std::runtime_error when the data itself is invalid (a build mistake), db::DbError on
// database failure.
int loadDemoOfficers(db::Connection& conn, const std::string& json_text);

}  // namespace portal::disclosure
