#include <nlohmann/json.hpp>

#include "portal/web/guards.h"
#include "portal/web/handlers.h"

namespace portal::web {

using nlohmann::json;

namespace {

json healthJson(const Config& config, const indexing::HealthReport& h) {
  json body{{"status", h.takesWrites() ? "ok" : "unavailable"}};
  if (h.database_ok) {
    body["database"] = "ok";
    body["schema_version"] = h.schema_version;
    body["index"] = {
        {"log_seq", h.log_seq}, {"applied_seq", h.applied_seq}, {"lag", h.indexLag()}};
    if (!h.index_error.empty()) body["index"]["error"] = "index writer failing";
    body["sms"] = {{"enabled", config.hotline.sms.enabled}, {"backlog", h.sms_backlog}};
    if (h.galera.is_cluster) {
      body["galera"] = {{"cluster_size", h.galera.cluster_size},
                        {"local_state", h.galera.local_state},
                        {"cluster_status", h.galera.cluster_status},
                        {"ready", h.galera.ready}};
    } else {
      body["galera"] = "not a cluster";
    }
  } else {
    body["database"] = "unreachable";
  }
  // Whether it takes writes now: a balancer drops a node that answers 503.
  body["takes_writes"] = h.takesWrites();
  body["pool"] = {{"open", h.pool.size}, {"in_use", h.pool.in_use}, {"capacity", h.pool.capacity}};
  body["db_endpoint"] = h.pool.endpoint;
  body["db_failovers"] = h.pool.failovers;
  return body;
}

}  // namespace

Response healthz(Context& ctx, const Request& req) {
  const indexing::HealthReport report = ctx.health.check();
  json body = healthJson(ctx.config, report);
  // Everyone may ask whether the node serves (a balancer reads the status); where its database
  // is, its pool and its backlogs are for monitoring only, as /metrics is.
  if (!metricsAllowed(ctx.config, req)) {
    body = json{{"status", body["status"]}, {"takes_writes", body["takes_writes"]}};
  }
  Response r = Response::json(body.dump(), report.takesWrites() ? 200 : 503);
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
