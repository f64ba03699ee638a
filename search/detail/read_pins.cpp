#include "search/detail/read_pins.h"

#include <utility>

namespace search::detail {

ReadPins& ReadPins::instance() {
  static ReadPins pins;
  return pins;
}

ReadPins::Pin::Pin(ReadPins& pins) : pins_(pins) {
  std::lock_guard<std::mutex> lock(pins_.mu_);
  id_ = pins_.next_id_++;
  pins_.pins_.emplace(id_, Entry{});
}

ReadPins::Pin::~Pin() {
  {
    std::lock_guard<std::mutex> lock(pins_.mu_);
    pins_.pins_.erase(id_);
  }
  pins_.released_.notify_all();
}

void ReadPins::Pin::set(const std::string& uuid, std::uint64_t revision) {
  std::shared_ptr<const std::function<void()>> hook;
  {
    std::lock_guard<std::mutex> lock(pins_.mu_);
    Entry& e = pins_.pins_[id_];
    e.opening = false;
    e.uuid = uuid;
    e.revision = revision;
    hook = pins_.hook_;
  }
  pins_.released_.notify_all();
  if (hook && *hook) (*hook)();
}

void ReadPins::setMaxWaitForTesting(std::chrono::milliseconds max_wait) {
  std::lock_guard<std::mutex> lock(mu_);
  max_wait_ = max_wait;
}

void ReadPins::waitUntilNoneBelow(const std::string& uuid, std::uint64_t revision) {
  std::unique_lock<std::mutex> lock(mu_);
  const auto blocked = [&] {
    for (const auto& [id, e] : pins_) {
      // Only the revision just before the writer's: an older one is gone already (the writer
      // gave up waiting for it and committed), and waiting for it again would hold back every
      // later commit by the whole bound while that search lasts.
      if (e.opening || (e.uuid == uuid && e.revision + 1 == revision)) return true;
    }
    return false;
  };
  if (!blocked()) return;
  ++writers_waiting_;
  released_.wait_for(lock, max_wait_, [&] { return !blocked(); });
  --writers_waiting_;
}

int ReadPins::writersWaiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writers_waiting_;
}

void ReadPins::setPinnedHookForTesting(std::function<void()> hook) {
  auto shared = std::make_shared<const std::function<void()>>(std::move(hook));
  std::lock_guard<std::mutex> lock(mu_);
  hook_ = std::move(shared);
}

}  // namespace search::detail
