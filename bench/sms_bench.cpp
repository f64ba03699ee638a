// SMS throughput: a burst of N complaint events (default 1,000 public progress notes on one
// complaint, each a transaction writing its event and its outbox row), then the dispatcher
// draining the outbox to a local stub Kannel (cpp-httplib on a free loopback port).
// Prints events/s written, messages/s delivered and the time from the burst's first event to
// the last delivery.
// Usage: bench_sms [N] [workers]   (database from PORTAL_DB_* settings; migrated if needed;
// rows are added to it, use a scratch database)
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>

#include "db/migrator.h"
#include "db/pool.h"
#include "hotline/calendar_service.h"
#include "hotline/complaint_service.h"
#include "hotline/sms_dispatcher.h"
#include "hotline/tracking_code.h"
#include "portal/config.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int workers = argc > 2 ? std::atoi(argv[2]) : 4;
  portal::Config config;
  portal::applyEnvironment(config, environ);
  config.db.pool_size = std::max(config.db.pool_size, workers + 4);
  db::initDriver();
  db::Pool pool(config.db);
  {
    auto conn = pool.acquire();
    db::migrate(*conn);
  }

  std::atomic<long> accepted{0};
  httplib::Server stub;
  stub.Get("/cgi-bin/sendsms", [&](const httplib::Request&, httplib::Response& res) {
    ++accepted;
    res.status = 202;
    res.set_content("0: Accepted for delivery", "text/plain");
  });
  const int port = stub.bind_to_any_port("127.0.0.1");
  std::thread server([&] { stub.listen_after_bind(); });
  while (!stub.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  hotline::HotlineOptions options = config.hotline;
  options.tracking_key = hotline::TrackingCode::generateKey();
  options.sms.enabled = true;
  options.sms.daily_limit_per_number = 1 << 30;  // earlier runs used the same number
  options.sms.gateway.url = "http://127.0.0.1:" + std::to_string(port) + "/cgi-bin/sendsms";
  options.sms.dlr_base_url = "https://zfgs.example.gov.cn";
  options.sms.workers = workers;
  options.sms.poll_ms = 20;
  hotline::CalendarService calendar(pool);
  hotline::ComplaintService complaints(pool, calendar, options);

  hotline::IntakeRequest req;
  req.category = "noise";
  req.description = "短信基准测试";
  req.complainant_phone = "13800000000";
  req.idempotency_key = "bench-sms-" + std::to_string(std::time(nullptr)) + "-0123456789";
  const auto reg = complaints.submit(req);
  if (!reg.ok()) {
    std::fprintf(stderr, "intake failed\n");
    return 1;
  }
  hotline::StaffActor supervisor{"bench", std::nullopt};
  const long before = accepted.load();
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    if (!complaints
             .addNote(reg.registration->complaint_id, supervisor,
                      "第" + std::to_string(i) + "次办理进展", true)
             .ok()) {
      std::fprintf(stderr, "note %d failed\n", i);
      return 1;
    }
  }
  const double burst = secondsSince(start);

  // The dispatcher starts after the burst, so the drain alone is timed too.
  hotline::SmsDispatcher dispatcher(pool, options.sms, hotline::makeGateway(options.sms.gateway));
  const auto drain_start = Clock::now();
  dispatcher.start();
  const long target = before + n + 1;  // the notes and the registration
  while (accepted.load() < target) {
    if (secondsSince(drain_start) > 300) {
      std::fprintf(stderr, "gave up: %ld of %ld delivered after 300 s\n", accepted.load() - before,
                   target - before);
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const double drain = secondsSince(drain_start);
  const double total = secondsSince(start);
  dispatcher.stop();
  stub.stop();
  server.join();

  std::printf("events written:   %d in %.2f s (%.0f events/s, each event + outbox row)\n", n, burst,
              n / burst);
  std::printf("outbox drained:   %d messages in %.2f s with %d workers (%.0f messages/s)\n", n + 1,
              drain, workers, (n + 1) / drain);
  std::printf("first event to last delivery: %.2f s\n", total);
  return 0;
}
