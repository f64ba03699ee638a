#include "portal/accounts/permissions.h"

#include "portal/accounts/session_token.h"

namespace portal::accounts {

bool canEditItemOf(const Principal& p, std::int64_t department_id) {
  switch (p.role) {
    case Role::Admin:
      return true;
    case Role::Editor:
      return p.department_id && *p.department_id == department_id;
    case Role::Reviewer:
      return false;
  }
  return false;
}

bool canReview(const Principal& p) { return p.role == Role::Reviewer || p.role == Role::Admin; }

bool canManageAmendments(const Principal& p) {
  return p.role == Role::Reviewer || p.role == Role::Admin;
}

bool canReadAudit(const Principal& p) { return p.role == Role::Reviewer || p.role == Role::Admin; }

bool canManageAccounts(const Principal& p) { return p.role == Role::Admin; }

bool verifyCsrf(const Principal& p, const std::optional<std::string>& submitted) {
  if (!submitted || submitted->empty() || p.csrf_token.empty()) return false;
  return constantTimeEquals(p.csrf_token, *submitted);
}

}  // namespace portal::accounts
