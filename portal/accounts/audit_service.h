#pragma once

#include <optional>
#include <utility>

#include "db/pool.h"
#include "portal/accounts/account.h"
#include "portal/accounts/audit_store.h"
#include "portal/accounts/clock.h"

namespace portal::accounts {

// Read side of the audit log for the legal office and administrators. Thread safe (each call
// borrows its own connection). Writers append on their own connection inside their own
// transaction (AuditStore::append(), or append() here for a service's write callback). Throws
// db::DbError on infrastructure failure.
class AuditService {
 public:
  // `clock`: the portal's one clock (App's), for the rows append() writes.
  AuditService(db::Pool& pool, Clock clock) : pool_(pool), clock_(std::move(clock)) {}

  // nullopt when `reader` may not read the audit log (canReadAudit() is false): answer 403.
  std::optional<base::Page<AuditRecord>> query(const Principal& reader, const AuditFilter& filter);
  // Appends `entry` on `conn`, inside the transaction the caller's service runs there (e.g. the
  // callback of hotline::SmsOutbox::resend), so the row commits or rolls back with the write.
  void append(db::Connection& conn, const AuditEntry& entry);

 private:
  db::Pool& pool_;
  Clock clock_;
};

}  // namespace portal::accounts
