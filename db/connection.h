#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "db/error.h"
#include "db/options.h"

namespace db {

// One bound value of a prepared statement. std::monostate binds SQL NULL.
using Param = std::variant<std::monostate, std::int64_t, double, std::string>;

inline Param param(std::monostate) { return std::monostate{}; }
inline Param param(const std::string& s) { return s; }
inline Param param(std::string_view s) { return std::string(s); }
inline Param param(const char* s) { return std::string(s); }
inline Param param(double d) { return d; }
inline Param param(bool b) { return std::int64_t{b ? 1 : 0}; }
template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
Param param(T v) {
  return static_cast<std::int64_t>(v);
}
template <typename T>
Param param(const std::optional<T>& v) {
  return v ? param(*v) : Param{std::monostate{}};
}

// A fully read result: rows are materialised when the query runs, so a Rows outlives the
// statement and the connection it came from. Columns are addressed by label.
class Rows {
 public:
  Rows() = default;
  Rows(std::vector<std::string> columns, std::vector<std::vector<std::optional<std::string>>> rows);

  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }

  // Cursor-style access: `while (rows.next()) rows.str("name");`
  bool next();
  void rewind() { cursor_ = -1; }

  bool isNull(std::string_view column) const;
  std::string str(std::string_view column) const;  // "" for NULL
  std::optional<std::string> optStr(std::string_view column) const;
  std::int64_t i64(std::string_view column) const;  // 0 for NULL
  std::optional<std::int64_t> optI64(std::string_view column) const;
  double f64(std::string_view column) const;

 private:
  const std::optional<std::string>& cell(std::string_view column) const;

  std::vector<std::string> columns_;
  std::vector<std::vector<std::optional<std::string>>> rows_;
  long cursor_ = -1;
};

// One connection to MariaDB. Not thread safe: a connection belongs to one thread at a time
// (the Pool hands it out). Every statement with data is a server-side prepared statement,
// cached per connection. Failures throw DbError; a lost connection marks it broken so the
// pool replaces it.
class Connection {
 public:
  explicit Connection(const Options& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  template <typename... Args>
  Rows query(std::string_view sql, const Args&... args) {
    return queryParams(sql, {param(args)...});
  }
  template <typename... Args>
  std::uint64_t execute(std::string_view sql, const Args&... args) {
    return executeParams(sql, {param(args)...});
  }
  Rows queryParams(std::string_view sql, const std::vector<Param>& params);
  std::uint64_t executeParams(std::string_view sql, const std::vector<Param>& params);

  // Runs a statement that takes no parameters and cannot be prepared (DDL, START TRANSACTION).
  void executeRaw(std::string_view sql);

  // INSERT ... RETURNING id (MariaDB 10.5+): the new row's id in the same round trip, instead
  // of a second one for LAST_INSERT_ID(). `sql` is the INSERT without the RETURNING clause.
  template <typename... Args>
  std::int64_t insertReturningId(std::string_view sql, const Args&... args) {
    return insertReturningIdParams(sql, {param(args)...});
  }
  std::int64_t insertReturningIdParams(std::string_view sql, const std::vector<Param>& params);

  std::uint64_t lastInsertId();

  // True when the connection answered its last call; false after a connection-level error.
  bool healthy() const { return healthy_; }
  // Checks the link (cheap ping) and reconnects when it is gone. Throws DbError if it cannot.
  // With `trust_recent`, a connection that answered within the last kAliveBypass is trusted
  // without the ping (the same rule as HikariCP's aliveBypassWindowMs): under load every borrow
  // would otherwise cost a round trip; a link that died in that half second fails its next
  // statement instead, and the pool replaces it. The pool passes false in a cluster, where the
  // ping at borrow is how a dead write node is noticed and left for the next one.
  void ensureAlive(bool trust_recent = false);
  static constexpr std::chrono::milliseconds kAliveBypass{500};
  // The server this connection talks to: "host:port" or the socket path.
  std::string endpoint() const;

 private:
  struct Impl;
  template <typename F>
  auto guarded(F&& f) -> decltype(f());

  std::unique_ptr<Impl> impl_;
  bool healthy_ = true;
  std::chrono::steady_clock::time_point last_answer_{};
};

// Call once in main before any thread starts: Connector/C++'s driver initialisation is not
// thread safe.
void initDriver();

}  // namespace db
