#include "db/sql_script.h"

#include "base/utf8.h"

namespace db {

std::vector<std::string> splitSqlScript(std::string_view script) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  for (std::size_t i = 0; i < script.size(); ++i) {
    const char c = script[i];
    const char n = i + 1 < script.size() ? script[i + 1] : '\0';
    if (quote) {
      cur += c;
      if (c == '\\' && quote != '`' && i + 1 < script.size()) {
        cur += script[++i];
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '-' && n == '-') {
      while (i < script.size() && script[i] != '\n') ++i;
      cur += '\n';
      continue;
    }
    if (c == '/' && n == '*') {
      i += 2;
      while (i + 1 < script.size() && !(script[i] == '*' && script[i + 1] == '/')) ++i;
      ++i;
      cur += ' ';
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') quote = c;
    if (c == ';') {
      std::string s = base::trim(cur);
      if (!s.empty()) out.push_back(std::move(s));
      cur.clear();
      continue;
    }
    cur += c;
  }
  std::string s = base::trim(cur);
  if (!s.empty()) out.push_back(std::move(s));
  return out;
}

}  // namespace db
