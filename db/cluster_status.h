#pragma once

#include <string>

#include "db/connection.h"

namespace db {

// What the MariaDB server behind a connection says about its Galera cluster. On a plain
// server (no wsrep) `is_cluster` is false and the Galera fields stay empty.
struct ClusterStatus {
  bool is_cluster = false;
  int cluster_size = 0;        // wsrep_cluster_size: nodes in this node's component
  std::string local_state;     // wsrep_local_state_comment: Synced, Donor/Desynced, ...
  int local_state_code = 0;    // wsrep_local_state: 4 is Synced
  std::string cluster_status;  // wsrep_cluster_status: Primary, non-Primary
  bool ready = false;          // wsrep_ready
  bool read_only = false;      // @@read_only
  // The server accepts writes now: not read-only and, in a cluster, ready in the primary
  // component.
  bool takesWrites() const {
    return !read_only && (!is_cluster || (ready && cluster_status == "Primary"));
  }
};

// Reads the status (two queries). Throws DbError.
ClusterStatus clusterStatus(Connection& conn);

}  // namespace db
