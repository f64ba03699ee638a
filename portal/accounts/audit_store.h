#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "base/page.h"
#include "db/connection.h"
#include "portal/accounts/account.h"
#include "portal/accounts/clock.h"

namespace portal::accounts {

// One staff write, as it goes into the audit log. Fill it with auditEntryFor(actor) and the
// what; JSON fields hold the object's state before and after (never a password or hash).
struct AuditEntry {
  std::optional<TimePoint> at;  // nullopt: now, from the store's clock
  std::optional<std::int64_t> account_id;
  std::string username;     // at most 64 bytes (longer is cut)
  std::string remote_addr;  // at most 64 bytes
  std::string action;       // dotted, e.g. "login.success", "account.create", "item.publish"
  std::optional<std::int64_t> department_id;  // the department the object belongs to
  std::string object_type;                    // "account", "session", "item", ...
  std::string object_id;                      // its id or code
  std::string summary;                        // one line in Chinese, at most 500 characters
  std::optional<std::string> before_json;     // must be valid JSON when set
  std::optional<std::string> after_json;
};

// Who and from where, taken from the actor; the caller adds the what.
AuditEntry auditEntryFor(const Actor& actor);

// An audit row as the legal office reads it.
struct AuditRecord {
  std::int64_t id = 0;
  TimePoint at;
  std::optional<std::int64_t> account_id;
  std::string username;
  std::string remote_addr;
  std::string action;
  std::optional<std::int64_t> department_id;
  std::string object_type;
  std::string object_id;
  std::string summary;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
};

// Every filter is optional; all given ones must hold. Dates for people: see beijingDayStart().
struct AuditFilter {
  std::optional<std::int64_t> account_id;
  std::optional<std::int64_t> department_id;
  std::optional<std::string> action;  // exact, e.g. "account.create"
  std::optional<TimePoint> from;      // inclusive
  std::optional<TimePoint> until;     // exclusive
  int page = 1;                       // 1-based; values below 1 mean 1
  int page_size = 50;                 // clamped to 1..200
};

// SQL for the append-only audit_log. append() runs on the caller's connection, inside the
// caller's transaction, so the audit row commits or rolls back with the change it records.
// There is deliberately nothing that updates or deletes (and the database refuses both).
// `clock` stamps entries that carry no time of their own: the portal's one clock (App's
// LocalClock::instant()), never the host's, so a test with a fixed clock sees its time.
// Throws db::DbError on infrastructure failure.
class AuditStore {
 public:
  AuditStore(db::Connection& conn, Clock clock) : conn_(conn), clock_(std::move(clock)) {}

  // Returns the new row's id.
  std::int64_t append(const AuditEntry& entry);
  // Newest first. Reads only, so it needs no clock.
  static base::Page<AuditRecord> query(db::Connection& conn, const AuditFilter& filter);
  // Each account's last successful login (login.success rows); accounts that never signed in
  // are absent.
  static std::map<std::int64_t, TimePoint> lastLogins(db::Connection& conn);

 private:
  db::Connection& conn_;
  Clock clock_;
};

}  // namespace portal::accounts
