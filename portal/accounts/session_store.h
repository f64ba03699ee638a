#pragma once

#include <optional>
#include <string>

#include "db/connection.h"
#include "portal/accounts/account.h"

namespace portal::accounts {

// A session row joined with its account, as validate() needs it.
struct StoredSession {
  std::string id;  // token digest
  std::string csrf_secret;
  TimePoint created_at;
  TimePoint last_seen_at;
  TimePoint expires_at;
  Account account;
};

struct NewSession {
  std::string id;  // tokenDigest(token), never the token
  std::int64_t account_id = 0;
  std::string csrf_secret;
  TimePoint created_at;
  TimePoint expires_at;
  std::string remote_addr;  // at most 64 bytes
  std::string user_agent;   // at most 255 bytes
};

// SQL for the sessions table. Works on a connection the caller holds (and its transaction, if
// any). Throws db::DbError on infrastructure failure.
class SessionStore {
 public:
  explicit SessionStore(db::Connection& conn) : conn_(conn) {}

  void insert(const NewSession& s);
  std::optional<StoredSession> find(const std::string& id);
  void touch(const std::string& id, TimePoint last_seen_at, TimePoint expires_at);
  void remove(const std::string& id);
  void removeAllOf(std::int64_t account_id);
  // Sessions whose expiry is at or before `now`. Returns how many went.
  std::uint64_t removeExpired(TimePoint now);

 private:
  db::Connection& conn_;
};

}  // namespace portal::accounts
