#include "portal/app.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "base/background_loop.h"
#include "db/cluster_status.h"
#include "db/error.h"
#include "db/generations.h"
#include "db/retry.h"
#include "db/migrator.h"
#include "db/pool.h"
#include "hotline/calendar_service.h"
#include "hotline/tracking_code.h"
#include "hotline/complaint_service.h"
#include "hotline/sms_dispatcher.h"
#include "hotline/sms_outbox.h"
#include "hotline/tracking_rate_limiter.h"
#include "portal/accounts/account_service.h"
#include "portal/accounts/audit_service.h"
#include "portal/demo/demo_data.h"
#include "portal/disclosure/decision_demo.h"
#include "portal/disclosure/decision_service.h"
#include "portal/disclosure/disclosure_service.h"
#include "portal/disclosure/officer_service.h"
#include "portal/disclosure/disclosure_demo.h"
#include "portal/http/server.h"
#include "portal/indexing/change_log_store.h"
#include "portal/indexing/health_service.h"
#include "portal/indexing/index_feeder.h"
#include "portal/indexing/search_service.h"
#include "portal/metrics.h"
#include "portal/publishing/amendment_service.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/draft_service.h"
#include "portal/publishing/list_import.h"
#include "portal/publishing/publishing_service.h"
#include "portal/web/handlers.h"
#include "templates/renderer.h"

namespace portal::calendar_data {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedFiles();
}

namespace portal {

struct App::Impl {
  Config config;
  // Beijing time, for every service and handler: the portal's one clock.
  hotline::LocalClock clock;
  db::Pool pool;
  templates::Renderer renderer;
  Metrics metrics;
  publishing::CatalogService catalog;
  publishing::PublishingService publishing;
  publishing::ImportService imports;
  accounts::AccountService accounts;
  accounts::AuditService audit;
  indexing::SearchService search;
  indexing::IndexFeeder feeder;
  hotline::CalendarService calendar;
  hotline::ComplaintService complaints;
  hotline::TrackingRateLimiter tracking_limiter;
  publishing::DraftService drafts;
  hotline::SmsOutbox sms_outbox;
  disclosure::DecisionService decisions;
  disclosure::DisclosureService disclosures;
  disclosure::OfficerService officers;
  publishing::AmendmentService amendments;
  indexing::HealthService health;
  publishing::ItemEditService item_edits;
  std::unique_ptr<hotline::SmsDispatcher> sms_dispatcher;  // set when sms.enabled
  web::Context context;
  http::Router router;
  http::Server server;
  // Housekeeping: decisions past the retention period leave the public pages, at start and
  // then hourly, and the log of queries that found nothing is bounded. Every node may run it;
  // the writes are idempotent.
  base::BackgroundLoop housekeeper{housekeeperOptions(), [this] {
                                     if (const std::size_t n = decisions.retireExpired()) {
                                       std::fprintf(stderr,
                                                    "retention: %zu decisions left the public "
                                                    "pages\n",
                                                    n);
                                       feeder.wake();
                                     }
                                     search.pruneZeroResults();
                                     return false;
                                   }};
  // Other nodes' changes to what this node keeps in memory (cluster_generations, polled every
  // 500 ms): a calendar loaded anywhere reloads it here; a staff write anywhere empties this
  // node's page cache. So every node follows within a second, without a restart.
  std::map<std::string, std::uint64_t> seen_generations;
  bool generations_read = false;
  std::atomic<std::uint64_t> cluster_pages{0};
  base::BackgroundLoop cluster_watcher{clusterWatcherOptions(), [this] {
                                         watchCluster();
                                         return false;
                                       }};

  // With several database hosts: after a failover, move back to an earlier host once it
  // answers and is synced again, probed here rather than on a request (a powered-off host
  // costs each probe the connect timeout).
  base::BackgroundLoop failback_watcher{failbackOptions(), [this] {
                                          pool.checkFailback();
                                          return false;
                                        }};

  base::BackgroundLoopOptions failbackOptions() const {
    base::BackgroundLoopOptions o;
    o.name = "database failback";
    o.period = std::chrono::milliseconds(config.db.failback_check_ms);
    o.run_at_start = false;
    return o;
  }

  static base::BackgroundLoopOptions clusterWatcherOptions() {
    base::BackgroundLoopOptions o;
    o.name = "cluster generations";
    o.period = std::chrono::milliseconds(500);
    o.run_at_start = false;  // App::start has just read them
    return o;
  }

  void watchCluster() {
    std::map<std::string, std::uint64_t> now;
    {
      auto conn = pool.acquire();
      now = db::readGenerations(*conn);
    }
    if (generations_read && now["calendar"] != seen_generations["calendar"]) {
      calendar.reload();
      std::fprintf(stderr, "working-day calendar reloaded (loaded on another node)\n");
    }
    cluster_pages.store(now["pages"]);
    seen_generations = std::move(now);
    generations_read = true;
  }

  // A staff write on this node: tell the others (their page caches).
  void announceStaffWrite() {
    try {
      db::withRetry([this] {
        auto conn = pool.acquire();
        db::bumpGeneration(*conn, "pages");
      });
    } catch (const std::exception& e) {
      // The page caches of other nodes follow within page_cache_max_age_s anyway.
      std::fprintf(stderr, "could not announce a staff write to other nodes: %s\n", e.what());
    }
  }

  static base::BackgroundLoopOptions housekeeperOptions() {
    base::BackgroundLoopOptions o;
    o.name = "retention sweep";
    o.period = std::chrono::hours(1);
    return o;
  }

  // The configuration with the tracking key loaded (created on first start).
  static Config withTrackingKey(Config c) {
    resolvePaths(c);
    c.hotline.tracking_key = hotline::TrackingCode::loadOrCreateKey(trackingKeyPath(c));
    return c;
  }

  Impl(Config c, hotline::LocalClock the_clock)
      : config(withTrackingKey(std::move(c))),
        clock(std::move(the_clock)),
        pool(config.db),
        renderer(config.templates),
        catalog(pool),
        publishing(pool, clock.instantSource()),
        imports(pool, {}, clock),
        accounts(pool, config.accounts, clock.instantSource()),
        audit(pool, clock.instantSource()),
        search(pool, config.search.index_dir, clock.instantSource()),
        feeder(pool, config.search.index_dir,
               indexing::FeederOptions{config.search.feeder_poll_ms, 500}),
        calendar(pool, clock),
        complaints(pool, calendar, config.hotline, clock),
        tracking_limiter(pool, config.tracking),
        drafts(pool, clock.instantSource()),
        sms_outbox(pool, config.hotline.sms, clock),
        decisions(pool, calendar, config.disclosure, clock),
        disclosures(pool, clock.instantSource()),
        officers(pool, clock.instantSource(), config.officers.expiry_warning_days),
        amendments(pool, clock.instantSource()),
        health(pool, feeder, [this] { return sms_outbox.backlog(); }),
        item_edits(catalog, publishing, drafts),
        context{config,   renderer,   catalog,          publishing, imports,
                accounts, audit,      search,           feeder,     health,
                metrics,  complaints, tracking_limiter, drafts,     sms_outbox, calendar,
                decisions, disclosures, officers, amendments, clock,
                item_edits},
        router(web::buildRouter(context)),
        server(withUploadPaths(config.server), router, metrics, hooks()) {}

  // The forms that take files may be larger than other requests (server.max_upload_bytes): the
  // two complaint forms with evidence files, and the list import's preview, which takes a
  // department's published list (ImportOptions::max_staged_bytes caps the file, with a 413 in
  // Chinese); nginx.conf.in allows the same paths.
  static http::ServerOptions withUploadPaths(http::ServerOptions o) {
    o.upload_paths = {"/complaints/new", "/admin/complaints/phone",
                      "/admin/departments/:slug/import/preview"};
    return o;
  }

  http::ServerHooks hooks() {
    http::ServerHooks h;
    h.error_page = [this](const http::Request& req, int status, const std::string& message) {
      return web::errorResponse(context, req, status, message);
    };
    h.status_for = [](const std::exception& e) {
      const auto* dbe = dynamic_cast<const db::DbError*>(&e);
      // A database that cannot be reached, and a write that still met a deadlock or lock-wait
      // timeout after its retries (nothing was saved): try again later, not a bug.
      return dbe && (dbe->isUnavailable() || db::isRetryable(*dbe, db::RetryOn::Conflicts))
                 ? 503
                 : 500;
    };
    // Cached pages are made of what the change log covers (applied by this node's index) and
    // of deadlines (the calendar); mixed so that a change of either changes the whole. Two
    // atomic reads: fit for a reactor thread.
    h.cache_generation = [this] {
      return (feeder.appliedSeq() * 0x9E3779B97F4A7C15ULL ^ calendar.generation()) *
                 0xC2B2AE3D27D4EB4FULL ^
             cluster_pages.load();
    };
    h.after_invalidating_write = [this] { announceStaffWrite(); };
    return h;
  }

  // The holiday notices compiled into the binary fill in years the database lacks (a notice
  // loaded later with `portal calendar-load` is never replaced by this older copy); then any
  // deadline an intake left provisional while another node loaded a notice is settled.
  void loadShippedCalendar() {
    for (const auto& [name, text] : calendar_data::embeddedFiles()) {
      const auto r = calendar.loadTsv(text, hotline::CalendarLoadMode::OnlyMissingYears);
      if (!r.ok()) {
        throw std::runtime_error("shipped calendar " + std::string(name) + ": " +
                                 r.errors.front().toString());
      }
      for (int year : r.years_loaded) {
        std::fprintf(stderr, "working-day calendar %d loaded from %.*s\n", year,
                     static_cast<int>(name.size()), name.data());
      }
    }
    const std::size_t n = calendar.recomputeProvisionalDeadlines();
    if (n > 0) std::fprintf(stderr, "provisional deadlines recomputed: %zu complaints\n", n);
  }
};

App::App(Config config, hotline::LocalClock clock)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(clock))) {
  {
    auto conn = impl_->pool.acquire();
    db::checkSchema(*conn);
  }
  bool fresh_demo = false;
  if (impl_->config.load_demo_data) {
    const auto r = demo::loadDemoData(impl_->pool);
    fresh_demo = r.loaded;
    if (r.loaded) {
      std::fprintf(stderr, "demo data loaded: %d departments, %d items\n", r.departments, r.items);
      // Only with fresh demo departments: never into a database someone already uses.
      if (const int n = disclosure::loadDemoDisclosures(impl_->pool); n > 0) {
        std::fprintf(stderr, "demo disclosures loaded: %d sections\n", n);
      }
    }
  }
  // A node joining a cluster under load: these writes may meet a deadlock or a Galera
  // certification failure with the other nodes' writes. Each is idempotent (loads only the
  // missing years, recomputes what is provisional), so it runs again rather than the node
  // refusing to start.
  db::RetryPolicy startup;
  startup.max_attempts = 8;
  startup.first_delay = std::chrono::milliseconds(50);
  db::withRetry([this] { impl_->loadShippedCalendar(); }, startup);
  // Provisional publication clocks settled by a notice loaded meanwhile (on another node).
  db::withRetry([this] { impl_->decisions.recomputeProvisionalClocks(); }, startup);
  if (fresh_demo) {
    // After the calendar (the demo decisions' clocks need it), and only with fresh demo
    // departments: never into a database someone already uses.
    const int n = disclosure::loadShippedDemoDecisions(impl_->pool, *impl_->calendar.calendar(),
                                                       impl_->config.disclosure,
                                                       impl_->decisions.today());
    if (n > 0) std::fprintf(stderr, "demo data loaded: %d enforcement decisions\n", n);
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
  impl_->metrics.addGauge("portal_db_failovers",
                          "Times this node's connections moved to the next Galera node.",
                          [&pool] { return static_cast<double>(pool.stats().failovers); });
  // Galera (issue 13): the node this portal node writes to. Left out while the database is
  // unreachable; on a plain MariaDB the cluster gauges are absent and takes_writes is 1.
  const auto galera = [&pool](const std::function<double(const db::ClusterStatus&)>& pick,
                              bool cluster_only) {
    return [&pool, pick, cluster_only] {
      std::vector<Metrics::Sample> samples;
      try {
        auto conn = pool.acquire();
        const db::ClusterStatus s = db::clusterStatus(*conn);
        if (s.is_cluster || !cluster_only) samples.push_back({{}, pick(s)});
      } catch (const db::DbError& e) {
        std::fprintf(stderr, "metrics: galera status: %s\n", e.what());
      }
      return samples;
    };
  };
  impl_->metrics.addGaugeFamily(
      "portal_galera_cluster_size", "wsrep_cluster_size of the Galera node this node writes to.",
      galera([](const db::ClusterStatus& s) { return s.cluster_size; }, true));
  impl_->metrics.addGaugeFamily(
      "portal_galera_local_state",
      "wsrep_local_state of that node (1 joining, 2 donor, 3 joined, 4 synced).",
      galera([](const db::ClusterStatus& s) { return s.local_state_code; }, true));
  impl_->metrics.addGaugeFamily(
      "portal_db_takes_writes", "1 when the database node this node uses accepts writes.",
      galera([](const db::ClusterStatus& s) { return s.takesWrites() ? 1.0 : 0.0; }, false));
  auto& feeder = impl_->feeder;
  impl_->metrics.addGaugeFamily(
      "portal_search_index_lag",
      "Search changes logged in MariaDB and not yet applied to this node's index.",
      [&pool, &feeder] {
        std::vector<Metrics::Sample> samples;
        try {
          auto conn = pool.acquire();
          const std::uint64_t logged = indexing::ChangeLogStore(*conn).lastSeq();
          const std::uint64_t applied = feeder.appliedSeq();
          samples.push_back({{}, static_cast<double>(logged > applied ? logged - applied : 0)});
        } catch (const db::DbError& e) {
          std::fprintf(stderr, "metrics: index lag: %s\n", e.what());
        }
        return samples;
      });
  impl_->metrics.addGauge("portal_search_applied_seq",
                          "Last search change applied to this node's index.",
                          [&feeder] { return static_cast<double>(feeder.appliedSeq()); });
  if (impl_->config.hotline.sms.enabled) {
    // Throws hotline::GatewayError for a gateway configuration that cannot work.
    const hotline::SmsOptions& sms_options = impl_->config.hotline.sms;
    impl_->sms_dispatcher = std::make_unique<hotline::SmsDispatcher>(
        impl_->pool, sms_options, hotline::makeGateway(sms_options.gateway),
        sms_options.fallback.url.empty() ? nullptr : hotline::makeGateway(sms_options.fallback));
    auto& sms = *impl_->sms_dispatcher;
    impl_->metrics.addGauge("portal_sms_sent", "SMS accepted by the gateway since start.",
                            [&sms] { return static_cast<double>(sms.stats().sent); });
    impl_->metrics.addGauge("portal_sms_retried", "SMS attempts to be retried since start.",
                            [&sms] { return static_cast<double>(sms.stats().retried); });
    impl_->metrics.addGauge("portal_sms_failed", "SMS marked failed since start.",
                            [&sms] { return static_cast<double>(sms.stats().failed); });
    impl_->metrics.addGauge(
        "portal_sms_fallback_sent",
        "SMS accepted by the fallback gateway after the primary failed, since start.",
        [&sms] { return static_cast<double>(sms.stats().fallback_sent); });
    auto& outbox = impl_->sms_outbox;
    impl_->metrics.addGaugeFamily(
        "portal_sms_messages", "SMS in the outbox by state and the gateway that sent them.",
        [&outbox] {
          std::vector<Metrics::Sample> samples;
          try {
            for (const hotline::SmsCount& c : outbox.countsByStateAndGateway()) {
              samples.push_back(
                  {{{"state", std::string(hotline::smsStateCode(c.state))}, {"gateway", c.gateway}},
                   static_cast<double>(c.count)});
            }
          } catch (const db::DbError& e) {
            // The database is down: the other gauges still answer; these are left out.
            std::fprintf(stderr, "metrics: sms counts: %s\n", e.what());
          }
          return samples;
        });
  }
  // Abuse limits (issue 18): submissions refused by each intake limit on this node.
  const hotline::IntakeLimiter& limiter = impl_->complaints.intakeLimiter();
  impl_->metrics.addGaugeFamily(
      "portal_intake_rate_limited",
      "Complaint submissions refused by an abuse limit on this node since start, by scope.",
      [&limiter] {
        std::vector<Metrics::Sample> samples;
        for (const hotline::LimitScope scope : hotline::kLimitScopes) {
          samples.push_back({{{"scope", std::string(hotline::limitScopeCode(scope))}},
                             static_cast<double>(limiter.refusals(scope))});
        }
        return samples;
      });
  if (impl_->config.hotline.sms.enabled && !impl_->config.hotline.sms.dlr_base_url.empty()) {
    auto& outbox = impl_->sms_outbox;
    impl_->metrics.addGaugeFamily(
        "portal_sms_report_overdue",
        "SMS accepted by the gateway longer than sms.report_timeout_s ago without a final "
        "delivery report.",
        [&outbox] {
          std::vector<Metrics::Sample> samples;
          try {
            samples.push_back({{}, static_cast<double>(outbox.reportOverdueCount())});
          } catch (const db::DbError& e) {
            std::fprintf(stderr, "metrics: sms overdue reports: %s\n", e.what());
          }
          return samples;
        });
  }
  auto& server = impl_->server;
  impl_->metrics.addGauge("portal_http_queue_depth", "Requests waiting for a worker.",
                          [&server] { return static_cast<double>(server.queued()); });
  impl_->metrics.addGauge("portal_page_cache_bytes", "Bytes held by the page cache.",
                          [&server] { return static_cast<double>(server.pageCacheStats().bytes); });
  impl_->metrics.addGauge(
      "portal_page_cache_entries", "Pages held by the page cache.",
      [&server] { return static_cast<double>(server.pageCacheStats().entries); });
  impl_->metrics.addGauge(
      "portal_page_cache_hits", "Cacheable requests answered from the page cache since start.",
      [&server] { return static_cast<double>(server.pageCacheStats().hits); });
  impl_->metrics.addGauge(
      "portal_page_cache_misses", "Cacheable requests rendered by a handler since start.",
      [&server] { return static_cast<double>(server.pageCacheStats().misses); });
}

App::~App() { stop(); }

void App::start() {
  impl_->feeder.start();
  if (impl_->sms_dispatcher) impl_->sms_dispatcher->start();
  impl_->housekeeper.start();
  // Read before the first request: the page cache's generation includes the cluster's, and a
  // first read after some pages were cached (it starts at 1 in the database, 0 here) threw
  // them away, and the first test of the page cache with them, under load.
  try {
    impl_->watchCluster();
  } catch (const db::DbError& e) {
    std::fprintf(stderr, "cluster generations not read at start: %s\n", e.what());
  }
  impl_->cluster_watcher.start();
  if (impl_->config.db.hosts.size() > 1) impl_->failback_watcher.start();
  impl_->server.start();
}
int App::port() const { return impl_->server.port(); }
void App::stop() {
  impl_->server.stop();
  impl_->housekeeper.stop();
  impl_->cluster_watcher.stop();
  impl_->failback_watcher.stop();
  if (impl_->sms_dispatcher) impl_->sms_dispatcher->stop();
  impl_->feeder.stop();
}
db::Pool& App::pool() { return impl_->pool; }

}  // namespace portal
