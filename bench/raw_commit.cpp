// The raw baseline for durable intake: what MariaDB itself allows, with the portal's own
// driver (Connector/C++) and nothing else. N connections, each committing in a loop one
// transaction of what every complaint must at least do: increment a shared sequence row and
// insert a 1 KB row. Prints commits per second. Used by bench/ratios.sh.
//
//   bench_raw_commit SOCKET USER PASSWORD SCHEMA [connections=16] [seconds=10]
#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

std::unique_ptr<sql::Connection> connect(sql::mysql::MySQL_Driver* driver, const char* socket,
                                         const char* user, const char* password,
                                         const char* schema) {
  sql::ConnectOptionsMap o;
  o["hostName"] = sql::SQLString(std::string("unix://") + socket);
  o["userName"] = sql::SQLString(user);
  o["password"] = sql::SQLString(password);
  o["schema"] = sql::SQLString(schema);
  o["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  return std::unique_ptr<sql::Connection>(driver->connect(o));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s SOCKET USER PASSWORD SCHEMA [connections] [seconds]\n",
                 argv[0]);
    return 2;
  }
  const int connections = argc > 5 ? std::atoi(argv[5]) : 16;
  const int seconds = argc > 6 ? std::atoi(argv[6]) : 10;
  sql::mysql::MySQL_Driver* driver = sql::mysql::get_mysql_driver_instance();
  {
    auto conn = connect(driver, argv[1], argv[2], argv[3], argv[4]);
    std::unique_ptr<sql::Statement> st(conn->createStatement());
    st->execute("DROP TABLE IF EXISTS raw_bench_rows");
    st->execute("DROP TABLE IF EXISTS raw_bench_seq");
    st->execute(
        "CREATE TABLE raw_bench_seq (id INT PRIMARY KEY, last_number BIGINT NOT NULL) "
        "ENGINE=InnoDB");
    st->execute("INSERT INTO raw_bench_seq VALUES (1, 0)");
    st->execute(
        "CREATE TABLE raw_bench_rows (id BIGINT AUTO_INCREMENT PRIMARY KEY, seq BIGINT NOT NULL "
        "UNIQUE, body TEXT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  }
  const std::string body(1024, 'x');
  std::atomic<bool> stop{false};
  std::atomic<long long> commits{0};
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<sql::Connection>> conns;
  for (int i = 0; i < connections; ++i)
    conns.push_back(connect(driver, argv[1], argv[2], argv[3], argv[4]));
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&, i] {
      sql::Connection& conn = *conns[i];
      conn.setAutoCommit(false);
      std::unique_ptr<sql::PreparedStatement> bump(conn.prepareStatement(
          "UPDATE raw_bench_seq SET last_number = last_number + 1 WHERE id = 1"));
      std::unique_ptr<sql::PreparedStatement> read(
          conn.prepareStatement("SELECT last_number FROM raw_bench_seq WHERE id = 1"));
      std::unique_ptr<sql::PreparedStatement> insert(
          conn.prepareStatement("INSERT INTO raw_bench_rows (seq, body) VALUES (?, ?)"));
      while (!stop.load()) {
        bump->executeUpdate();
        std::unique_ptr<sql::ResultSet> rs(read->executeQuery());
        rs->next();
        insert->setInt64(1, rs->getInt64(1));
        insert->setString(2, body);
        insert->executeUpdate();
        conn.commit();
        ++commits;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("%.1f\n", static_cast<double>(commits.load()) / elapsed);
  return 0;
}
