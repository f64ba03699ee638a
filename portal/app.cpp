#include "portal/app.h"

#include <cstdio>

#include "db/error.h"
#include "db/migrator.h"
#include "db/pool.h"
#include "portal/accounts/account_service.h"
#include "portal/accounts/audit_service.h"
#include "portal/http/server.h"
#include "portal/indexing/index_feeder.h"
#include "portal/indexing/search_service.h"
#include "portal/metrics.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/demo_data.h"
#include "portal/publishing/publishing_service.h"
#include "portal/web/handlers.h"
#include "templates/renderer.h"

namespace portal {

struct App::Impl {
  Config config;
  db::Pool pool;
  templates::Renderer renderer;
  Metrics metrics;
  publishing::CatalogService catalog;
  publishing::PublishingService publishing;
  accounts::AccountService accounts;
  accounts::AuditService audit;
  indexing::SearchService search;
  indexing::IndexFeeder feeder;
  web::Context context;
  http::Router router;
  http::Server server;

  explicit Impl(Config c)
      : config(std::move(c)),
        pool(config.db),
        renderer(config.templates),
        catalog(pool),
        publishing(pool),
        accounts(pool, config.accounts),
        audit(pool),
        search(pool, config.search.index_dir),
        feeder(pool, config.search.index_dir,
               indexing::FeederOptions{config.search.feeder_poll_ms, 500}),
        context{config, renderer, catalog, publishing, accounts,
                audit,  search,   feeder,  pool,       metrics},
        router(web::buildRouter(context)),
        server(config.server, router, metrics, hooks()) {}

  http::ServerHooks hooks() {
    http::ServerHooks h;
    h.error_page = [this](const http::Request& req, int status, const std::string& message) {
      return web::errorResponse(context, req, status, message);
    };
    h.status_for = [](const std::exception& e) {
      const auto* dbe = dynamic_cast<const db::DbError*>(&e);
      return dbe && dbe->isUnavailable() ? 503 : 500;
    };
    return h;
  }
};

App::App(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {
  {
    auto conn = impl_->pool.acquire();
    db::checkSchema(*conn);
  }
  if (impl_->config.load_demo_data) {
    const auto r = publishing::loadDemoData(impl_->pool);
    if (r.loaded) {
      std::fprintf(stderr, "demo data loaded: %d departments, %d items\n", r.departments, r.items);
    }
  }
  auto& pool = impl_->pool;
  impl_->metrics.addGauge("portal_db_pool_in_use", "Database connections leased now.",
                          [&pool] { return pool.stats().in_use; });
  impl_->metrics.addGauge("portal_db_pool_open", "Database connections open.",
                          [&pool] { return pool.stats().size; });
  impl_->metrics.addGauge("portal_db_pool_capacity", "Database connections at most.",
                          [&pool] { return pool.stats().capacity; });
  impl_->metrics.addGauge("portal_db_pool_acquire_timeouts",
                          "Requests that found no free database connection in time.",
                          [&pool] { return static_cast<double>(pool.stats().waits_timed_out); });
  auto& feeder = impl_->feeder;
  impl_->metrics.addGauge("portal_search_applied_seq",
                          "Last search change applied to this node's index.",
                          [&feeder] { return static_cast<double>(feeder.appliedSeq()); });
  auto& server = impl_->server;
  impl_->metrics.addGauge("portal_http_queue_depth", "Requests waiting for a worker.",
                          [&server] { return static_cast<double>(server.queued()); });
}

App::~App() { stop(); }

void App::start() {
  impl_->feeder.start();
  impl_->server.start();
}
int App::port() const { return impl_->server.port(); }
void App::stop() {
  impl_->server.stop();
  impl_->feeder.stop();
}
db::Pool& App::pool() { return impl_->pool; }

}  // namespace portal
