#include "portal/indexing/health_service.h"

#include "db/error.h"
#include "db/migrator.h"
#include "portal/indexing/change_log_store.h"

namespace portal::indexing {

HealthReport HealthService::check() {
  HealthReport report;
  try {
    {
      // Released before the SMS backlog takes its own: never two connections at once.
      auto conn = pool_.acquire();
      report.schema_version = db::appliedVersion(*conn);
      report.log_seq = ChangeLogStore(*conn).lastSeq();
      // Galera (issue 13): the state of the node this portal node writes to.
      report.galera = db::clusterStatus(*conn);
    }
    report.database_ok = true;
    report.applied_seq = feeder_.appliedSeq();
    report.index_error = feeder_.lastError();
    report.sms_backlog = outbox_backlog_ ? outbox_backlog_() : 0;
  } catch (const db::DbError&) {
    report.database_ok = false;
  }
  report.pool = pool_.stats();
  return report;
}

}  // namespace portal::indexing
