#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/background_loop.h"
#include "db/pool.h"
#include "hotline/sms_gateway.h"
#include "hotline/sms_message.h"
#include "hotline/sms_options.h"

namespace hotline {

// Counters since start, for /metrics.
struct SmsDispatchStats {
  std::int64_t claimed = 0;
  std::int64_t sent = 0;
  std::int64_t retried = 0;
  std::int64_t failed = 0;
  std::int64_t fallback_sent = 0;  // accepted by the fallback after the primary said Retry
  std::int64_t lost_leases = 0;    // a send finished after another node took the message over
};

// Drains sms_outbox: claims due messages in a short transaction (FOR UPDATE SKIP LOCKED, state
// sending, leased for options.lease_ms and renewed by a heartbeat thread while held), sends
// each outside any transaction through the gateway, then records sent / retry with capped
// exponential backoff and jitter (for options.retry_window_s) / failed. Any number
// of dispatchers, on any number of nodes, may share one outbox.
//
// Delivery is at least once: a node that dies after the gateway accepted a message but before
// recording it leaves the row sending; once the lease lapses (lease_ms, seconds, since the
// heartbeat died with the node) it is claimed and sent again; the rows it had claimed but not
// yet sent are claimed again too, and were never sent, so only the one in flight can double. Nothing
// is lost; a duplicate is possible only in that window (Kannel has no idempotency key).
//
// Thread safety: start()/stop() from one thread; runOnce() may be called from any thread
// (tests, or a node without workers). The workers and the heartbeat are base::BackgroundLoops:
// whatever a pass throws (a database error, anything from a gateway) is logged to stderr and
// the pass is tried again at the next poll; the leases make that safe (a message whose send
// threw is claimed again when its lease lapses).
class SmsDispatcher {
 public:
  // `gateway` and `fallback` must be thread safe (all of makeGateway()'s are); `pool` must
  // outlive this. `fallback` (null: none) is tried once in the same attempt when `gateway`
  // answers Retry.
  SmsDispatcher(db::Pool& pool, SmsOptions options, std::shared_ptr<SmsGateway> gateway,
                std::shared_ptr<SmsGateway> fallback = nullptr);
  ~SmsDispatcher();
  SmsDispatcher(const SmsDispatcher&) = delete;
  SmsDispatcher& operator=(const SmsDispatcher&) = delete;

  // Starts options.workers loops and the heartbeat. Idempotent.
  void start();
  // Wakes and joins the workers; a send in progress finishes first (bounded by the gateway's
  // timeout). Idempotent.
  void stop();

  // One pass: claims up to options.batch_size due messages and sends them. Returns how many
  // were claimed. Throws db::DbError when the claim fails.
  std::size_t runOnce();

  SmsDispatchStats stats() const;

  // The wait before attempt n + 1 after attempt n failed: base * 2^(n-1) capped at max, then
  // jittered to [half, all] of it ("equal jitter"), so a gateway coming back is not hit by
  // every node at once.
  static std::int64_t backoffMs(const SmsOptions& options, int attempt, double unit_random);

 private:
  bool work();       // one pass of a worker loop: true when a full batch suggests more is due
  bool heartbeat();  // renews the leases of the claims this dispatcher holds
  void deliver(const SmsMessage& message);

  db::Pool& pool_;
  SmsOptions options_;
  std::shared_ptr<SmsGateway> gateway_;
  std::shared_ptr<SmsGateway> fallback_;
  std::vector<std::unique_ptr<base::BackgroundLoop>> loops_;  // workers, then the heartbeat
  std::atomic<bool> stopping_{false};
  std::mutex held_mu_;
  std::map<std::int64_t, int> held_;  // claimed, not yet recorded: id -> attempt
  std::atomic<std::int64_t> claimed_{0};
  std::atomic<std::int64_t> sent_{0};
  std::atomic<std::int64_t> retried_{0};
  std::atomic<std::int64_t> failed_{0};
  std::atomic<std::int64_t> fallback_sent_{0};
  std::atomic<std::int64_t> lost_leases_{0};
};

}  // namespace hotline
