#include "portal/accounts/account.h"

#include "base/utf8.h"
#include "portal/accounts/password_hasher.h"

namespace portal::accounts {

namespace {
struct RoleInfo {
  Role role;
  std::string_view code;
  std::string_view name;
};
constexpr RoleInfo kRoles[] = {
    {Role::Editor, "editor", "部门编辑"},
    {Role::Reviewer, "reviewer", "法制审核员"},
    {Role::Admin, "admin", "系统管理员"},
};

bool usernameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}
}  // namespace

std::string_view roleCode(Role r) {
  for (const auto& info : kRoles) {
    if (info.role == r) return info.code;
  }
  return "editor";
}

std::string_view roleName(Role r) {
  for (const auto& info : kRoles) {
    if (info.role == r) return info.name;
  }
  return "部门编辑";
}

std::optional<Role> parseRole(std::string_view code_or_name) {
  for (const auto& info : kRoles) {
    if (code_or_name == info.code || code_or_name == info.name) return info.role;
  }
  return std::nullopt;
}

const std::vector<Role>& allRoles() {
  static const std::vector<Role> all = {Role::Editor, Role::Reviewer, Role::Admin};
  return all;
}

std::string normalizeUsername(std::string_view raw) {
  std::size_t b = 0, e = raw.size();
  while (b < e && (raw[b] == ' ' || raw[b] == '\t')) ++b;
  while (e > b && (raw[e - 1] == ' ' || raw[e - 1] == '\t')) --e;
  std::string out(raw.substr(b, e - b));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string normalizeDisplayName(std::string_view raw) {
  static constexpr std::string_view kIdeographicSpace = "\u3000";
  for (bool changed = true; changed;) {
    changed = false;
    if (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) {
      raw.remove_prefix(1);
      changed = true;
    } else if (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) {
      raw.remove_suffix(1);
      changed = true;
    } else if (raw.substr(0, kIdeographicSpace.size()) == kIdeographicSpace) {
      raw.remove_prefix(kIdeographicSpace.size());
      changed = true;
    } else if (raw.size() >= kIdeographicSpace.size() &&
               raw.substr(raw.size() - kIdeographicSpace.size()) == kIdeographicSpace) {
      raw.remove_suffix(kIdeographicSpace.size());
      changed = true;
    }
  }
  return std::string(raw);
}

std::vector<FieldError> validateNewAccount(const NewAccount& a) {
  std::vector<FieldError> errors;
  const std::string username = normalizeUsername(a.username);
  if (username.empty()) {
    errors.push_back({"username", "请填写用户名"});
  } else if (username.size() < 3 || username.size() > 32) {
    errors.push_back({"username", "用户名须为3至32个字符"});
  } else {
    bool ok = username[0] >= 'a' && username[0] <= 'z';
    for (char c : username) ok = ok && usernameChar(c);
    if (!ok) {
      errors.push_back(
          {"username", "用户名只能包含小写字母、数字、点、下划线和连字符，并以字母开头"});
    }
  }
  const std::string display = normalizeDisplayName(a.display_name);
  if (display.empty()) {
    errors.push_back({"display_name", "请填写姓名"});
  } else if (utf8Length(display) > 64) {
    errors.push_back({"display_name", "姓名不能超过64个字符"});
  }
  for (const std::string& m : checkPasswordPolicy(a.password, username)) {
    errors.push_back({"password", m});
  }
  const auto role = parseRole(a.role);
  if (!role) {
    errors.push_back({"role", "请选择有效的角色（部门编辑、法制审核员或系统管理员）"});
  } else if (*role == Role::Editor && !a.department_id) {
    errors.push_back({"department_id", "部门编辑必须属于一个部门，请选择部门"});
  } else if (*role != Role::Editor && a.department_id) {
    errors.push_back({"department_id",
                      "法制审核员和系统管理员不属于某一部门，请选择“不属于某一部门”"});
  }
  return errors;
}

std::string utf8Truncate(std::string_view s, std::size_t max_bytes) {
  return std::string(base::utf8BytePrefix(s, max_bytes));
}

}  // namespace portal::accounts
