#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/accounts/account.h"

namespace portal::accounts {

// An account with its password hash, as only the account service sees it.
struct StoredAccount {
  Account account;
  std::string password_hash;
};

// SQL for the accounts table. Works on a connection the caller holds (and its transaction, if
// any). Throws db::DbError on infrastructure failure (isDuplicateKey() when the username is
// taken).
class AccountStore {
 public:
  explicit AccountStore(db::Connection& conn) : conn_(conn) {}

  // `account.username` must already be normalised. Returns the new id.
  std::int64_t insert(const Account& account, const std::string& password_hash);
  std::optional<StoredAccount> findById(std::int64_t id);
  // `username` normalised; the comparison is the column's (case-insensitive) collation.
  std::optional<StoredAccount> findByUsername(const std::string& username);
  // Every account, active first, by username.
  std::vector<Account> list();
  // Same as findById(), locking the row until the transaction ends.
  std::optional<StoredAccount> lockById(std::int64_t id);
  void updatePassword(std::int64_t id, const std::string& password_hash, TimePoint changed_at);
  // Replaces a hash with a stronger one without touching password_changed_at.
  void rehash(std::int64_t id, const std::string& password_hash);
  void setActive(std::int64_t id, bool active);
  std::int64_t count();
  // Whether a department with this id exists (an account may only belong to a real one).
  // Accounts sit below the publishing domain, so this one question is asked here.
  bool departmentExists(std::int64_t department_id);

 private:
  db::Connection& conn_;
};

}  // namespace portal::accounts
