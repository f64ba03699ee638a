#pragma once

#include "db/connection.h"

namespace db {

// RAII transaction: begins on construction, rolls back on destruction unless commit() ran.
// Use on one thread with the connection it was given; not reentrant (no nesting).
class Transaction {
 public:
  explicit Transaction(Connection& conn) : conn_(conn) { conn_.executeRaw("START TRANSACTION"); }
  ~Transaction() {
    if (done_) return;
    try {
      conn_.executeRaw("ROLLBACK");
    } catch (const DbError&) {
      // The connection is gone, so the server has rolled back already; the pool replaces it.
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    conn_.executeRaw("COMMIT");
    done_ = true;
  }

 private:
  Connection& conn_;
  bool done_ = false;
};

}  // namespace db
