#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/utf8.h"
#include "portal/accounts/clock.h"

namespace portal::accounts {

// What a staff account may do; see permissions.h for the rules.
enum class Role {
  Editor,    // 部门编辑: keeps the lists of one department
  Reviewer,  // 法制审核: the legal office; reviews, reads the audit log, edits nothing
  Admin,     // 系统管理员: everything, including accounts
};
std::string_view roleCode(Role r);  // editor | reviewer | admin
std::string_view roleName(Role r);  // 部门编辑 | 法制审核员 | 系统管理员
std::optional<Role> parseRole(std::string_view code_or_name);
const std::vector<Role>& allRoles();

// A staff account as pages show it. The password hash never leaves the store.
struct Account {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::Editor;
  std::optional<std::int64_t> department_id;  // always set for editors
  bool active = true;
  TimePoint created_at;
  TimePoint password_changed_at;
};

// The account form as a person filled it in; createAccount() validates every field.
struct NewAccount {
  std::string username;      // trimmed and lower-cased before validation
  std::string display_name;  // 姓名
  std::string password;
  std::string role;  // code or Chinese name, see parseRole()
  std::optional<std::int64_t> department_id;
};

// The signed-in person behind a request, from AccountService::validate(). A value; cheap to
// copy and safe to keep for the length of one request.
struct Principal {
  std::int64_t account_id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::Editor;
  std::optional<std::int64_t> department_id;
  std::string csrf_token;  // put in every form that changes anything, check with verifyCsrf()
  TimePoint expires_at;    // of the session, after this request's sliding refresh
};

// Who performs a change, for permission checks and the audit log.
struct Actor {
  std::optional<Principal> principal;  // nullopt: the operator at the console (portalctl)
  std::string remote_addr;             // the client's address; "console" for the console

  static Actor console() { return Actor{std::nullopt, "console"}; }
  static Actor staff(const Principal& p, std::string remote_addr) {
    return Actor{p, std::move(remote_addr)};
  }
  std::optional<std::int64_t> accountId() const {
    return principal ? std::optional<std::int64_t>(principal->account_id) : std::nullopt;
  }
  std::string username() const { return principal ? principal->username : "portalctl"; }
};

// One problem with one form field, in Chinese, safe to show. `field` is the form field's name
// ("username", "display_name", "password", "role", "department_id"), or "" for the whole form.
struct FieldError {
  std::string field;
  std::string message;
};

// Lower-cases ASCII and trims spaces: the form of a username that is stored and compared.
std::string normalizeUsername(std::string_view raw);

// Trims spaces (ASCII and the full-width 　) at both ends: the stored form of a display name.
std::string normalizeDisplayName(std::string_view raw);

// Field-by-field problems with a new account (username, display name, role, password policy,
// an editor without a department). Does not look at the database (taken names, unknown
// departments): the service adds those.
std::vector<FieldError> validateNewAccount(const NewAccount& account);

// Number of code points in valid UTF-8.
using base::utf8Length;
// The longest prefix of `s` of at most `max_bytes` bytes that does not split a character.
std::string utf8Truncate(std::string_view s, std::size_t max_bytes);

}  // namespace portal::accounts
