#include "db/cluster_status.h"

#include <cstdlib>

namespace db {

ClusterStatus clusterStatus(Connection& conn) {
  ClusterStatus s;
  Rows r = conn.query(
      "SELECT UPPER(VARIABLE_NAME) AS name, VARIABLE_VALUE AS value "
      "FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('wsrep_cluster_size', "
      "'wsrep_local_state_comment', 'wsrep_local_state', "
      "'wsrep_cluster_status', 'wsrep_ready')");
  while (r.next()) {
    const std::string name = r.str("name");
    const std::string value = r.str("value");
    if (name == "WSREP_CLUSTER_SIZE") {
      s.cluster_size = std::atoi(value.c_str());
    } else if (name == "WSREP_LOCAL_STATE_COMMENT") {
      s.local_state = value;
    } else if (name == "WSREP_LOCAL_STATE") {
      s.local_state_code = std::atoi(value.c_str());
    } else if (name == "WSREP_CLUSTER_STATUS") {
      s.cluster_status = value;
    } else if (name == "WSREP_READY") {
      s.ready = value == "ON";
    }
  }
  Rows g = conn.query("SELECT @@global.wsrep_on AS wsrep_on, @@global.read_only AS ro");
  g.next();
  // A server built with wsrep but running alone reports wsrep_* status too (Disconnected).
  if (g.i64("wsrep_on") == 0) {
    s = ClusterStatus{};
  } else {
    s.is_cluster = true;
  }
  s.read_only = g.i64("ro") != 0;
  return s;
}

}  // namespace db
