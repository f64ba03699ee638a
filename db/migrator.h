#pragma once

#include <functional>
#include <string>
#include <vector>

#include "db/connection.h"

namespace db {

// A schema migration compiled into the binary from db/migrations/NNNN_name.sql.
struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

// The migrations this binary knows, in version order. Throws DbError at first use if two
// files share a number or a name does not start with digits (a build mistake).
const std::vector<Migration>& knownMigrations();
int latestKnownVersion();

// The highest version recorded in schema_migrations (0 on an empty database).
int appliedVersion(Connection& conn);

// Applies every known migration newer than the applied version, in order, each recorded in
// schema_migrations once it succeeded. Serialised across nodes with a named lock. Returns
// the number applied. Throws DbError, and refuses (before touching anything) when the
// database was migrated by a newer binary.
int migrate(Connection& conn, const std::function<void(const Migration&)>& on_apply = {});

// Throws DbError unless the database is exactly at latestKnownVersion(): the server must not
// run on a schema it does not know, nor on one missing migrations.
void checkSchema(Connection& conn);

}  // namespace db
