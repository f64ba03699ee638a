#include "db/connection.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <map>
#include <type_traits>

namespace db {

Rows::Rows(std::vector<std::string> columns,
           std::vector<std::vector<std::optional<std::string>>> rows)
    : columns_(std::move(columns)), rows_(std::move(rows)) {}

bool Rows::next() {
  if (cursor_ + 1 >= static_cast<long>(rows_.size())) {
    cursor_ = static_cast<long>(rows_.size());
    return false;
  }
  ++cursor_;
  return true;
}

const std::optional<std::string>& Rows::cell(std::string_view column) const {
  if (cursor_ < 0 || cursor_ >= static_cast<long>(rows_.size())) {
    throw DbError("row cursor out of range reading column " + std::string(column));
  }
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == column) return rows_[cursor_][i];
  }
  throw DbError("no column named " + std::string(column));
}

bool Rows::isNull(std::string_view column) const { return !cell(column).has_value(); }
std::string Rows::str(std::string_view column) const { return cell(column).value_or(""); }
std::optional<std::string> Rows::optStr(std::string_view column) const { return cell(column); }
std::int64_t Rows::i64(std::string_view column) const { return optI64(column).value_or(0); }
std::optional<std::int64_t> Rows::optI64(std::string_view column) const {
  const auto& c = cell(column);
  if (!c) return std::nullopt;
  try {
    return std::stoll(*c);
  } catch (const std::exception&) {
    throw DbError("column " + std::string(column) + " is not an integer");
  }
}
double Rows::f64(std::string_view column) const {
  const auto& c = cell(column);
  return c ? std::stod(*c) : 0.0;
}

namespace {

sql::mysql::MySQL_Driver* driver() { return sql::mysql::get_mysql_driver_instance(); }

void bindAll(sql::PreparedStatement& st, const std::vector<Param>& params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto idx = static_cast<unsigned int>(i + 1);
    const Param& p = params[i];
    if (std::holds_alternative<std::monostate>(p)) {
      st.setNull(idx, sql::DataType::VARCHAR);
    } else if (const auto* n = std::get_if<std::int64_t>(&p)) {
      st.setInt64(idx, *n);
    } else if (const auto* d = std::get_if<double>(&p)) {
      st.setDouble(idx, *d);
    } else {
      st.setString(idx, std::get<std::string>(p));
    }
  }
}

Rows readAll(sql::ResultSet& rs) {
  sql::ResultSetMetaData* meta = rs.getMetaData();
  const unsigned int n = meta->getColumnCount();
  std::vector<std::string> columns;
  columns.reserve(n);
  for (unsigned int i = 1; i <= n; ++i) columns.emplace_back(meta->getColumnLabel(i));
  std::vector<std::vector<std::optional<std::string>>> rows;
  while (rs.next()) {
    std::vector<std::optional<std::string>> row;
    row.reserve(n);
    for (unsigned int i = 1; i <= n; ++i) {
      std::string v = rs.getString(i);
      if (rs.wasNull()) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::move(v));
      }
    }
    rows.push_back(std::move(row));
  }
  return Rows(std::move(columns), std::move(rows));
}

}  // namespace

struct Connection::Impl {
  Options options;
  std::unique_ptr<sql::Connection> conn;
  std::map<std::string, std::unique_ptr<sql::PreparedStatement>, std::less<>> statements;

  void connect() {
    statements.clear();
    conn.reset();
    sql::ConnectOptionsMap o;
    if (!options.socket.empty()) {
      o["hostName"] = sql::SQLString("unix://" + options.socket);
    } else {
      o["hostName"] = sql::SQLString("tcp://" + options.host + ":" + std::to_string(options.port));
    }
    o["userName"] = sql::SQLString(options.user);
    o["password"] = sql::SQLString(options.password);
    o["schema"] = sql::SQLString(options.schema);
    o["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    o["OPT_CONNECT_TIMEOUT"] = options.connect_timeout_s;
    o["OPT_READ_TIMEOUT"] = options.read_timeout_s;
    o["OPT_WRITE_TIMEOUT"] = options.read_timeout_s;
    o["OPT_RECONNECT"] = false;
    conn.reset(driver()->connect(o));
    std::unique_ptr<sql::Statement> st(conn->createStatement());
    st->execute("SET time_zone = '+08:00'");
    if (options.lock_wait_timeout_s > 0) {
      st->execute("SET SESSION innodb_lock_wait_timeout = " +
                  std::to_string(options.lock_wait_timeout_s));
    }
    if (!options.hosts.empty()) {
      // A Galera node outside the primary component (partitioned, joining, donating with a
      // blocking method) answers connects but refuses work: not a node to write to.
      std::unique_ptr<sql::ResultSet> rs(st->executeQuery(
          "SELECT @@global.wsrep_on, (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
          "WHERE VARIABLE_NAME = 'wsrep_ready')"));
      if (rs->next() && rs->getInt(1) == 1 && rs->getString(2) != "ON") {
        conn.reset();
        throw sql::SQLException("node not ready (wsrep_ready OFF)", "08S01", 1047);
      }
    }
  }

  sql::PreparedStatement& prepared(std::string_view sql) {
    auto it = statements.find(sql);
    if (it == statements.end()) {
      std::unique_ptr<sql::PreparedStatement> st(conn->prepareStatement(std::string(sql)));
      it = statements.emplace(std::string(sql), std::move(st)).first;
    }
    return *it->second;
  }
};

template <typename F>
auto Connection::guarded(F&& f) -> decltype(f()) {
  try {
    if constexpr (std::is_void_v<decltype(f())>) {
      f();
      last_answer_ = std::chrono::steady_clock::now();
    } else {
      auto result = f();
      last_answer_ = std::chrono::steady_clock::now();
      return result;
    }
  } catch (const sql::SQLException& e) {
    DbError err(e.what(), e.getErrorCode());
    // 1047: the node left the primary component; the pool must open a connection elsewhere.
    if (err.isConnectionLost() || err.code() == 1047 || !impl_->conn || impl_->conn->isClosed()) {
      healthy_ = false;
    }
    throw err;
  }
}

Connection::Connection(const Options& options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  try {
    impl_->connect();
    last_answer_ = std::chrono::steady_clock::now();
  } catch (const sql::SQLException& e) {
    throw DbError(
        std::string("connect failed: ") + e.what() + " (" + std::to_string(e.getErrorCode()) + ")",
        DbError::kConnectFailed);
  }
}

Connection::~Connection() = default;

Rows Connection::queryParams(std::string_view sql, const std::vector<Param>& params) {
  return guarded([&] {
    sql::PreparedStatement& st = impl_->prepared(sql);
    bindAll(st, params);
    std::unique_ptr<sql::ResultSet> rs(st.executeQuery());
    return readAll(*rs);
  });
}

std::uint64_t Connection::executeParams(std::string_view sql, const std::vector<Param>& params) {
  return guarded([&] {
    sql::PreparedStatement& st = impl_->prepared(sql);
    bindAll(st, params);
    return static_cast<std::uint64_t>(st.executeUpdate());
  });
}

void Connection::executeRaw(std::string_view sql) {
  guarded([&] {
    std::unique_ptr<sql::Statement> st(impl_->conn->createStatement());
    st->execute(std::string(sql));
  });
}

std::int64_t Connection::insertReturningIdParams(std::string_view sql,
                                                const std::vector<Param>& params) {
  Rows r = queryParams(std::string(sql) + " RETURNING id", params);
  if (!r.next()) throw DbError("INSERT ... RETURNING id returned no row");
  return r.i64("id");
}

std::uint64_t Connection::lastInsertId() {
  Rows r = query("SELECT LAST_INSERT_ID() AS id");
  r.next();
  return static_cast<std::uint64_t>(r.i64("id"));
}

void Connection::ensureAlive(bool trust_recent) {
  if (healthy_ && impl_->conn) {
    if (trust_recent && std::chrono::steady_clock::now() - last_answer_ < kAliveBypass) return;
    if (impl_->conn->isValid()) {
      last_answer_ = std::chrono::steady_clock::now();
      return;
    }
  }
  try {
    impl_->connect();
    healthy_ = true;
    last_answer_ = std::chrono::steady_clock::now();
  } catch (const sql::SQLException& e) {
    healthy_ = false;
    throw DbError(std::string("reconnect failed: ") + e.what() + " (" +
                      std::to_string(e.getErrorCode()) + ")",
                  DbError::kConnectFailed);
  }
}

std::string Connection::endpoint() const {
  const Options& o = impl_->options;
  return o.socket.empty() ? o.host + ":" + std::to_string(o.port) : o.socket;
}

void initDriver() { driver(); }

}  // namespace db
