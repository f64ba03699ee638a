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

RateLimitStore::Count RateLimitStore::hit(const std::string& scope, const std::string& subject,
                                          int window_s) {
  // The window's end, from the database's clock (in the session's time zone, +08:00 on every
  // connection): every node computes the same one.
  constexpr const char* kWindowEnd =
      "FROM_UNIXTIME((FLOOR(UNIX_TIMESTAMP() / ?) + 1) * ?)";
  conn_.execute(std::string("INSERT INTO rate_limit_hits (scope, subject, window_end, hits) "
                            "VALUES (?, ?, ") +
                    kWindowEnd + ", 1) ON DUPLICATE KEY UPDATE hits = hits + 1",
                scope, subject, window_s, window_s);
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
  } else {
    // The window turned between the two statements: this hit counts in the new one.
    c.hits = 1;
    c.seconds_left = window_s;
  }
  return c;
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
