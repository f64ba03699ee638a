#include "db/migrator.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>

#include "db/sql_script.h"

namespace db {
namespace migrations {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedFiles();
}

const std::vector<Migration>& knownMigrations() {
  static const std::vector<Migration> all = [] {
    std::vector<Migration> v;
    for (const auto& [name, sql] : migrations::embeddedFiles()) {
      std::size_t digits = 0;
      while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) {
        ++digits;
      }
      if (digits == 0) throw DbError("migration file without a number: " + std::string(name));
      Migration m;
      m.version = std::stoi(std::string(name.substr(0, digits)));
      m.name = std::string(name);
      m.sql = std::string(sql);
      v.push_back(std::move(m));
    }
    std::sort(v.begin(), v.end(),
              [](const auto& a, const auto& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < v.size(); ++i) {
      if (v[i].version == v[i - 1].version) {
        throw DbError("two migrations share number " + std::to_string(v[i].version));
      }
    }
    return v;
  }();
  return all;
}

int latestKnownVersion() {
  const auto& all = knownMigrations();
  return all.empty() ? 0 : all.back().version;
}

namespace {
void ensureTable(Connection& conn) {
  conn.executeRaw(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INT NOT NULL PRIMARY KEY,"
      " name VARCHAR(255) NOT NULL,"
      " applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
}

class NamedLock {
 public:
  explicit NamedLock(Connection& conn) : conn_(conn) {
    try {
      Rows r = conn_.query("SELECT GET_LOCK('portal_migrate', 60) AS got");
      if (!r.next() || r.i64("got") != 1) throw DbError("could not take the migration lock");
      held_ = true;
    } catch (const DbError& e) {
      // A Galera node refuses GET_LOCK (1235, "GET_LOCK in cluster"): named locks are not
      // replicated. There the cluster must be migrated once, from one machine (scripts/cluster
      // does so before any portal node starts); nodes then only check the schema version.
      if (e.code() != 1235) throw;
    }
  }
  ~NamedLock() {
    if (!held_) return;
    try {
      conn_.query("SELECT RELEASE_LOCK('portal_migrate') AS released");
    } catch (const DbError&) {
      // A lost connection releases the lock on the server side.
    }
  }

 private:
  Connection& conn_;
  bool held_ = false;
};
}  // namespace

int appliedVersion(Connection& conn) {
  ensureTable(conn);
  Rows r = conn.query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations");
  r.next();
  return static_cast<int>(r.i64("v"));
}

int migrate(Connection& conn, const std::function<void(const Migration&)>& on_apply) {
  ensureTable(conn);
  NamedLock lock(conn);
  const int current = appliedVersion(conn);
  if (current > latestKnownVersion()) {
    throw DbError("database schema version " + std::to_string(current) +
                  " is newer than this binary knows (" + std::to_string(latestKnownVersion()) +
                  "); refusing to run");
  }
  int applied = 0;
  for (const Migration& m : knownMigrations()) {
    if (m.version <= current) continue;
    if (on_apply) on_apply(m);
    for (const std::string& stmt : splitSqlScript(m.sql)) conn.executeRaw(stmt);
    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", m.version, m.name);
    ++applied;
  }
  return applied;
}

void checkSchema(Connection& conn) {
  const int current = appliedVersion(conn);
  const int known = latestKnownVersion();
  if (current > known) {
    throw DbError("database schema version " + std::to_string(current) +
                  " is newer than this binary knows (" + std::to_string(known) + ")");
  }
  if (current < known) {
    throw DbError("database schema version " + std::to_string(current) + " is older than " +
                  std::to_string(known) + "; run `portal migrate` first");
  }
}

}  // namespace db
