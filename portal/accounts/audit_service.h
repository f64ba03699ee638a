#pragma once

#include <optional>

#include "db/pool.h"
#include "portal/accounts/account.h"
#include "portal/accounts/audit_store.h"

namespace portal::accounts {

// Read side of the audit log for the legal office and administrators. Thread safe (each call
// borrows its own connection). Writers do not come here: they call AuditStore::append() on
// their own connection inside their own transaction. Throws db::DbError on infrastructure
// failure.
class AuditService {
 public:
  explicit AuditService(db::Pool& pool) : pool_(pool) {}

  // nullopt when `reader` may not read the audit log (canReadAudit() is false): answer 403.
  std::optional<base::Page<AuditRecord>> query(const Principal& reader, const AuditFilter& filter);

 private:
  db::Pool& pool_;
};

}  // namespace portal::accounts
