#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "db/cluster_status.h"
#include "db/pool.h"
#include "portal/indexing/index_feeder.h"

namespace portal::indexing {

// What /healthz reports: the database, the index lag, the outbox backlog, the pool.
struct HealthReport {
  bool database_ok = false;  // false: MariaDB unreachable; the fields below up to `pool` unset
  int schema_version = 0;
  std::uint64_t log_seq = 0;      // last row of the search change log
  std::uint64_t applied_seq = 0;  // last row this node's index applied
  std::string index_error;        // non-empty: the index writer is failing
  std::int64_t sms_backlog = 0;
  db::ClusterStatus galera;  // the node this portal node writes to
  db::PoolStats pool;        // always filled

  std::uint64_t indexLag() const { return log_seq > applied_seq ? log_seq - applied_seq : 0; }
  // A balancer drops a node that cannot take writes now (503).
  bool takesWrites() const { return database_ok && galera.takesWrites(); }
};

// The node's health for /healthz. Thread safe; never holds two pool connections at once (a
// burst of health checks must not hold the whole pool and report MariaDB unreachable).
// Never throws for a database outage: that is a report with database_ok false.
class HealthService {
 public:
  // `outbox_backlog` counts the SMS messages waiting (may throw db::DbError).
  HealthService(db::Pool& pool, const IndexFeeder& feeder,
                std::function<std::int64_t()> outbox_backlog)
      : pool_(pool), feeder_(feeder), outbox_backlog_(std::move(outbox_backlog)) {}

  HealthReport check();

 private:
  db::Pool& pool_;
  const IndexFeeder& feeder_;
  std::function<std::int64_t()> outbox_backlog_;
};

}  // namespace portal::indexing
