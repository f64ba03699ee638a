#include "portal/accounts/audit_service.h"

#include "portal/accounts/permissions.h"

namespace portal::accounts {

std::optional<base::Page<AuditRecord>> AuditService::query(const Principal& reader,
                                                           const AuditFilter& filter) {
  if (!canReadAudit(reader)) return std::nullopt;
  auto conn = pool_.acquire();
  return AuditStore::query(*conn, filter);
}

void AuditService::append(db::Connection& conn, const AuditEntry& entry) {
  AuditStore(conn, clock_).append(entry);
}

}  // namespace portal::accounts
