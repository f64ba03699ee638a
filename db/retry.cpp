#include "db/retry.h"

#include <algorithm>

namespace db {

bool isRetryable(const DbError& e, RetryOn on) {
  const int code = e.code();
  if (code == 1213 || code == 1205 || code == 1047) return true;
  if (on == RetryOn::ConflictsAndLostConnections) {
    return e.isConnectionLost() || code == DbError::kConnectFailed;
  }
  return false;
}

std::chrono::milliseconds retryDelay(const RetryPolicy& policy, int attempt) {
  std::chrono::milliseconds d = policy.first_delay;
  for (int i = 2; i < attempt && d < policy.max_delay; ++i) d *= 2;
  return std::min(d, policy.max_delay);
}

}  // namespace db
