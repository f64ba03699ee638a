#include "hotline/rate_limit_store.h"

namespace hotline {

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

std::uint64_t RateLimitStore::removeEnded(int limit) {
  return conn_.execute("DELETE FROM rate_limit_hits WHERE window_end < NOW() LIMIT ?",
                       limit);
}

}  // namespace hotline
