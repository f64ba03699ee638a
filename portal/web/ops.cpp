#include <nlohmann/json.hpp>

#include "db/cluster_status.h"
#include "db/error.h"
#include "db/migrator.h"
#include "portal/indexing/change_log_store.h"
#include "portal/web/guards.h"
#include "portal/web/handlers.h"

namespace portal::web {

using nlohmann::json;

Response healthz(Context& ctx, const Request&) {
  json body{{"status", "ok"}};
  int status = 200;
  try {
    std::uint64_t logged = 0;
    db::ClusterStatus galera;
    {
      // Released before the SMS backlog takes its own: never two connections at once, or a
      // burst of health checks holds the whole pool and reports MariaDB unreachable.
      auto conn = ctx.pool.acquire();
      body["database"] = "ok";
      body["schema_version"] = db::appliedVersion(*conn);
      logged = indexing::ChangeLogStore(*conn).lastSeq();
      // Galera (issue 13): the state of the node this portal node writes to.
      galera = db::clusterStatus(*conn);
    }
    const auto applied = ctx.feeder.appliedSeq();
    body["index"] = {{"log_seq", logged},
                     {"applied_seq", applied},
                     {"lag", logged > applied ? logged - applied : 0}};
    if (!ctx.feeder.lastError().empty()) body["index"]["error"] = "index writer failing";
    body["sms"] = {{"enabled", ctx.config.hotline.sms.enabled}, {"backlog", ctx.sms.backlog()}};
    // Whether it takes writes now: a balancer drops a node that answers 503.
    if (galera.is_cluster) {
      body["galera"] = {{"cluster_size", galera.cluster_size},
                        {"local_state", galera.local_state},
                        {"cluster_status", galera.cluster_status},
                        {"ready", galera.ready}};
    } else {
      body["galera"] = "not a cluster";
    }
    body["takes_writes"] = galera.takesWrites();
    if (!galera.takesWrites()) {
      status = 503;
      body["status"] = "unavailable";
    }
  } catch (const db::DbError& e) {
    status = 503;
    body["status"] = "unavailable";
    body["database"] = "unreachable";
    body["takes_writes"] = false;
  }
  const auto pool = ctx.pool.stats();
  body["pool"] = {{"open", pool.size}, {"in_use", pool.in_use}, {"capacity", pool.capacity}};
  body["db_endpoint"] = pool.endpoint;
  body["db_failovers"] = pool.failovers;
  Response r = Response::json(body.dump(), status);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response metrics(Context& ctx, const Request& req) {
  if (!metricsAllowed(ctx.config, req)) {
    throw http::HttpError(403, "运行指标仅供内部监控系统读取。", "forbidden");
  }
  return Response::text(ctx.metrics.render(), 200, "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace portal::web
