#include "hotline/rate_limit_store.h"

#include <sodium.h>

#include "hotline/hotline_error.h"

namespace hotline {

std::string RateLimitStore::subject(const std::string& scope, const std::string& value) {
  if (sodium_init() < 0) throw HotlineError("libsodium cannot initialise");
  const std::string message = scope + ":" + value;
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return std::string(hex, 64);
}

std::vector<RateLimitStore::Count> RateLimitStore::hitAll(const std::vector<Subject>& subjects) {
  std::vector<Count> counts(subjects.size());
  if (subjects.empty()) return counts;
  // The window's end comes from the database's clock (in the session's time zone, +08:00 on
  // every connection), so every node computes the same one. INSERT ... ON DUPLICATE KEY
  // UPDATE ... RETURNING gives each row as counted (MariaDB 10.5+).
  std::string sql = "INSERT INTO rate_limit_hits (scope, subject, window_end, hits) VALUES ";
  std::vector<db::Param> params;
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    sql += (i ? ", " : "");
    sql += "(?, ?, FROM_UNIXTIME((FLOOR(UNIX_TIMESTAMP() / ?) + 1) * ?), 1)";
    params.insert(params.end(), {db::param(subjects[i].scope), db::param(subjects[i].subject),
                                 db::param(subjects[i].window_s), db::param(subjects[i].window_s)});
  }
  sql += " ON DUPLICATE KEY UPDATE hits = hits + 1 RETURNING scope, subject, hits, "
         "GREATEST(1, TIMESTAMPDIFF(SECOND, NOW(), window_end)) AS seconds_left";
  db::Rows r = conn_.queryParams(sql, params);
  while (r.next()) {
    for (std::size_t i = 0; i < subjects.size(); ++i) {
      if (subjects[i].scope == r.str("scope") && subjects[i].subject == r.str("subject")) {
        counts[i] = Count{r.i64("hits"), r.i64("seconds_left")};
      }
    }
  }
  return counts;
}

RateLimitStore::Count RateLimitStore::hit(const std::string& scope, const std::string& subject,
                                          int window_s) {
  return hitAll({Subject{scope, subject, window_s}}).front();
}

RateLimitStore::Count RateLimitStore::current(const std::string& scope,
                                              const std::string& subject, int window_s) {
  constexpr const char* kWindowEnd = "FROM_UNIXTIME((FLOOR(UNIX_TIMESTAMP() / ?) + 1) * ?)";
  db::Rows r = conn_.query(
      std::string("SELECT hits, GREATEST(1, TIMESTAMPDIFF(SECOND, NOW(), window_end)) "
                  "AS seconds_left FROM rate_limit_hits WHERE scope = ? AND subject = ? "
                  "AND window_end = ") +
          kWindowEnd,
      scope, subject, window_s, window_s);
  Count c;
  if (r.next()) {
    c.hits = r.i64("hits");
    c.seconds_left = r.i64("seconds_left");
  }
  return c;
}

std::uint64_t RateLimitStore::removeEnded(int limit) {
  return conn_.execute("DELETE FROM rate_limit_hits WHERE window_end < NOW() LIMIT ?",
                       limit);
}

}  // namespace hotline
