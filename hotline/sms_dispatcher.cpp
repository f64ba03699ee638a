#include "hotline/sms_dispatcher.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "db/error.h"
#include "db/transaction.h"
#include "hotline/sms_outbox.h"
#include "hotline/sms_outbox_store.h"

namespace hotline {
namespace {

double unitRandom() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::string dlrUrl(const SmsOptions& o, const std::string& token) {
  if (o.dlr_base_url.empty()) return "";
  std::string base = o.dlr_base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  // Without a query: each adapter adds what its gateway needs (Kannel ?status=%d; Jasmin
  // appends its own "?id=..." to a GET and would break a URL that already has one).
  return base + "/sms/dlr/" + token;
}

}  // namespace

SmsDispatcher::SmsDispatcher(db::Pool& pool, SmsOptions options,
                             std::shared_ptr<SmsGateway> gateway,
                             std::shared_ptr<SmsGateway> fallback)
    : pool_(pool),
      options_(std::move(options)),
      gateway_(std::move(gateway)),
      fallback_(std::move(fallback)) {}

SmsDispatcher::~SmsDispatcher() { stop(); }

void SmsDispatcher::start() {
  if (!loops_.empty()) return;
  stopping_ = false;
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    base::BackgroundLoopOptions o;
    o.name = "sms dispatcher";
    o.period = std::chrono::milliseconds(options_.poll_ms);
    o.max_backoff = std::chrono::seconds(10);
    loops_.push_back(std::make_unique<base::BackgroundLoop>(o, [this] { return work(); }));
  }
  base::BackgroundLoopOptions o;
  o.name = "sms dispatcher heartbeat";
  o.period = std::chrono::milliseconds(std::max(100, options_.lease_ms / 3));
  // A failed renewal is tried again at the next beat, not later: the lease is running.
  o.max_backoff = o.period;
  o.run_at_start = false;
  loops_.push_back(std::make_unique<base::BackgroundLoop>(o, [this] { return heartbeat(); }));
  for (auto& loop : loops_) loop->start();
}

bool SmsDispatcher::heartbeat() {
  std::vector<std::pair<std::int64_t, int>> held;
  {
    std::lock_guard<std::mutex> lock(held_mu_);
    held.assign(held_.begin(), held_.end());
  }
  if (held.empty()) return false;
  // When this throws the claims may lapse and be taken over: at least once, never lost.
  auto conn = pool_.acquire();
  SmsOutboxStore store(*conn);
  for (const auto& [id, attempt] : held) store.extendLease(id, attempt, options_.lease_ms);
  return false;
}

void SmsDispatcher::stop() {
  stopping_ = true;
  for (auto& loop : loops_) loop->stop();
  loops_.clear();
}

bool SmsDispatcher::work() {
  try {
    // A full batch suggests more are due: go again at once.
    return runOnce() >= static_cast<std::size_t>(options_.batch_size);
  } catch (const db::DbError& e) {
    // A deadlock or lock wait between claimers rolled the claim back: nothing was taken.
    if (e.isLockWaitTimeout()) return false;
    throw;
  }
}

std::size_t SmsDispatcher::runOnce() {
  std::vector<SmsMessage> batch;
  {
    auto conn = pool_.acquire();
    SmsOutboxStore store(*conn);
    store.readCommittedForNextTransaction();
    db::Transaction tx(*conn);
    batch = store.claimDue(options_.batch_size, options_.lease_ms);
    tx.commit();
  }
  claimed_ += static_cast<std::int64_t>(batch.size());
  {
    std::lock_guard<std::mutex> lock(held_mu_);
    for (const SmsMessage& m : batch) held_[m.id] = m.attempts;
  }
  // Set when an outcome could not be recorded: the rest of the batch is not sent, as its
  // outcomes could not be recorded either and every one would go out again after its lease.
  const char* hold_back = nullptr;
  for (const SmsMessage& m : batch) {
    // Whatever happens to this one, its claim no longer needs renewing afterwards.
    struct Release {
      SmsDispatcher* self;
      std::int64_t id;
      ~Release() {
        std::lock_guard<std::mutex> lock(self->held_mu_);
        self->held_.erase(id);
      }
    } release{this, m.id};
    try {
      if (stopping_ || hold_back) {
        // Hand the rest back at once rather than leaving them to their lease.
        auto conn = pool_.acquire();
        SmsOutboxStore(*conn).markRetry(
            m.id, m.attempts, hold_back ? hold_back : "dispatcher stopped before sending", 0);
        continue;
      }
      deliver(m);
    } catch (const db::DbError& e) {
      // The outcome is not recorded; the lease runs out and the message is tried again.
      std::fprintf(stderr, "sms dispatcher: cannot record message %lld: %s\n",
                   static_cast<long long>(m.id), e.what());
      hold_back = "an earlier outcome of the batch could not be recorded";
    }
  }
  return batch.size();
}

void SmsDispatcher::deliver(const SmsMessage& m) {
  OutgoingSms out;
  out.recipient = m.recipient;
  out.text = m.text;
  out.ref = m.dlr_token;
  out.dlr_url = dlrUrl(options_, m.dlr_token);
  SendResult result = gateway_->send(out);
  const SmsGateway* used = gateway_.get();
  std::string error = gateway_->name() + ": " + result.error;
  if (result.outcome == SendResult::Outcome::Retry && fallback_) {
    // The primary may be down: the fallback gets one try in this attempt.
    result = fallback_->send(out);
    used = fallback_.get();
    if (result.outcome == SendResult::Outcome::Retry) {
      error += "; " + fallback_->name() + ": " + result.error;
    } else {
      error = fallback_->name() + ": " + result.error;
    }
  }

  auto conn = pool_.acquire();
  SmsOutboxStore store(*conn);
  // A final state and the scrubbing of the tracking code commit together.
  db::Transaction tx(*conn);
  bool recorded = false;
  switch (result.outcome) {
    case SendResult::Outcome::Accepted:
      recorded = store.markSent(m.id, m.attempts, used->name(), result.message_id);
      if (recorded) ++sent_;
      if (recorded && used == fallback_.get()) ++fallback_sent_;
      // With no delivery report asked for, sent is as final as it gets.
      if (recorded && options_.dlr_base_url.empty()) scrubTrackingCode(*conn, options_, m);
      break;
    case SendResult::Outcome::Permanent:
      recorded = store.markFailed(m.id, m.attempts, error);
      if (recorded) ++failed_;
      // The gateway refused the number: failed for good.
      if (recorded) scrubTrackingCode(*conn, options_, m);
      break;
    case SendResult::Outcome::Retry: {
      const int tries = m.attempts - m.attempt_base;
      const bool too_many = options_.max_attempts > 0 && tries >= options_.max_attempts;
      // The retry window (database time): the last retry falls at its end, not after it.
      if (too_many || m.retry_left_ms <= 0) {
        recorded = store.markFailed(m.id, m.attempts,
                                    error + "（已重试" + std::to_string(tries) + "次" +
                                        (too_many ? "" : "，超过重试时限") + "）");
        if (recorded) ++failed_;
      } else {
        const std::int64_t delay =
            std::min(backoffMs(options_, tries, unitRandom()), m.retry_left_ms);
        recorded = store.markRetry(m.id, m.attempts, error, delay);
        if (recorded) ++retried_;
      }
      break;
    }
  }
  tx.commit();
  if (!recorded) ++lost_leases_;
}

std::int64_t SmsDispatcher::backoffMs(const SmsOptions& o, int attempt, double unit_random) {
  const double base = std::max(1, o.backoff_base_ms);
  const double cap = std::max(o.backoff_base_ms, o.backoff_max_ms);
  const double exp = std::min(cap, base * std::pow(2.0, std::max(0, attempt - 1)));
  const double jittered = exp / 2 + exp / 2 * std::clamp(unit_random, 0.0, 1.0);
  return static_cast<std::int64_t>(jittered);
}

SmsDispatchStats SmsDispatcher::stats() const {
  SmsDispatchStats s;
  s.claimed = claimed_;
  s.sent = sent_;
  s.retried = retried_;
  s.failed = failed_;
  s.fallback_sent = fallback_sent_;
  s.lost_leases = lost_leases_;
  return s;
}

}  // namespace hotline
