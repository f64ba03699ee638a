#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "portal/accounts/account.h"

namespace portal::accounts {

// The permission rules, as pure functions of the signed-in principal: handlers answer 403
// when they return false. Thread safe.

// Create, change, cancel, delegate, import or publish an item of department `department_id`:
// an editor only in their own department, an administrator in every department, a reviewer
// never.
bool canEditItemOf(const Principal& p, std::int64_t department_id);
// Approve or return a submitted version (optional legal-office review): reviewer and admin.
bool canReview(const Principal& p);
// Record that a law was amended or repealed and flag the items citing it (the legal office's
// amendment listing): reviewer and admin.
bool canManageAmendments(const Principal& p);
// Read the audit log: reviewer and admin.
bool canReadAudit(const Principal& p);
// Create accounts, reset passwords, (de)activate accounts: admin.
bool canManageAccounts(const Principal& p);

// True when `submitted` (the form's csrf_token field) is this session's CSRF token; compared
// in constant time. A missing or empty token never matches.
bool verifyCsrf(const Principal& p, const std::optional<std::string>& submitted);

}  // namespace portal::accounts
