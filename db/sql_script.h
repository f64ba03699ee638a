#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace db {

// Splits a migration file into statements at semicolons outside quotes and comments.
// `--` line comments and `/* */` block comments are dropped. No DELIMITER support: our
// migrations contain no stored programs.
std::vector<std::string> splitSqlScript(std::string_view script);

}  // namespace db
