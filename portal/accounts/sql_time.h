#pragma once

#include <string>

#include "portal/accounts/clock.h"

namespace portal::accounts {

// The accounts tables (accounts, sessions, login_attempts, audit_log) hold Beijing time as
// DATETIME(6), like every other DATETIME column (docs/time.md; UTC until migration 0029):
// "2025-03-01 14:05:09.123456" (microseconds, truncated).
std::string toSqlBeijing(TimePoint t);
// Parses what toSqlBeijing writes (the fraction may be absent). Throws std::invalid_argument.
TimePoint fromSqlBeijing(const std::string& s);

}  // namespace portal::accounts
