#include "db/options.h"

namespace db {

std::string Options::validate() const {
  std::string errors;
  if (pool_size < 1) errors += "db.pool_size must be at least 1\n";
  if (schema.empty()) errors += "db.schema is empty\n";
  if (failback_check_ms < 100) errors += "db.failback_check_ms below 100\n";
  if (lock_wait_timeout_s < 0 || lock_wait_timeout_s > 3600) {
    errors += "db.lock_wait_timeout_s must be 0 (the server's) to 3600\n";
  }
  for (const auto& h : hosts) {
    if (!h.empty() && h[0] == '/') continue;  // a unix socket
    const auto colon = h.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == h.size() ||
        h.find_first_not_of("0123456789", colon + 1) != std::string::npos ||
        std::stoul(h.substr(colon + 1).substr(0, 6)) > 65535) {
      errors += "db.hosts: not host:port: " + h + "\n";
    }
  }
  return errors;
}

}  // namespace db
