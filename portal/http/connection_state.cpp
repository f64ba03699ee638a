#include "portal/http/connection_state.h"

namespace portal::http {

std::optional<EvictionRank> evictionRank(const ConnectionState& c) {
  if (c.busy || c.writes_in_flight > 0 || c.evicted || c.disconnected) return std::nullopt;
  if (c.closing) return EvictionRank{0, c.last_activity};
  if (!c.partial) return EvictionRank{1, c.last_activity};
  return EvictionRank{2, c.partial_since};
}

}  // namespace portal::http
