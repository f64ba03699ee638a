#pragma once

#include <stdexcept>
#include <string>

namespace db {

// Infrastructure failure talking to MariaDB (connection lost, bad SQL, pool exhausted, ...).
// `code()` is the server or client error number when there is one (1062 duplicate key,
// 2006/2013 connection lost), otherwise 0. Never shown to the public.
class DbError : public std::runtime_error {
 public:
  DbError(const std::string& what, int code = 0) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  bool isDuplicateKey() const { return code_ == 1062; }
  bool isConnectionLost() const {
    return code_ == 2002 || code_ == 2003 || code_ == 2006 || code_ == 2013 || code_ == 2055;
  }
  bool isLockWaitTimeout() const { return code_ == 1205 || code_ == 1213; }
  // The database cannot serve us right now (down, restarting, pool exhausted): answer 503.
  bool isUnavailable() const {
    return isConnectionLost() || code_ == kPoolExhausted || code_ == kConnectFailed ||
           code_ == 1205;
  }

  static constexpr int kPoolExhausted = -1;
  static constexpr int kConnectFailed = -2;  // could not open or reopen a connection
  // acquire() on a thread that must never wait for the database (an HTTP reactor thread):
  // a programming error, answered 500, never waited out.
  static constexpr int kWrongThread = -3;
  // acquire() on a thread that already holds a connection of the same pool (checked in debug
  // builds): eight such requests at once hold all eight connections and wait for a ninth
  // forever. A programming error, answered 500.
  static constexpr int kNestedAcquire = -4;

 private:
  int code_;
};

}  // namespace db
