#include "portal/http/page_cache.h"

#include <sodium.h>

#include <array>

namespace portal::http {

PageCache::PageCache(std::size_t max_bytes, std::chrono::seconds max_age)
    : max_bytes_(max_bytes), max_age_(max_age) {}

void PageCache::switchGeneration(std::uint64_t generation) {
  if (has_generation_ && generation == generation_) return;
  lru_.clear();
  index_.clear();
  bytes_ = 0;
  generation_ = generation;
  has_generation_ = true;
}

void PageCache::evict(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->key);
  lru_.erase(it);
}

std::shared_ptr<const CachedPage> PageCache::find(const std::string& key,
                                                  std::uint64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  switchGeneration(generation);
  auto found = index_.find(key);
  if (found == index_.end()) {
    ++misses_;
    return nullptr;
  }
  auto it = found->second;
  if (std::chrono::steady_clock::now() - it->page->stored_at > max_age_) {
    evict(it);
    ++misses_;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it);
  ++hits_;
  return it->page;
}

void PageCache::store(const std::string& key, std::uint64_t generation, CachedPage page) {
  std::size_t bytes = key.size() * 2 + page.body.size() + page.content_type.size() +
                      page.etag.size() + sizeof(Entry) + sizeof(CachedPage) + 64;
  for (const auto& [name, value] : page.headers) bytes += name.size() + value.size() + 64;
  if (bytes > max_bytes_ / 8) return;
  page.stored_at = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  if (!has_generation_ || generation != generation_) return;
  if (auto found = index_.find(key); found != index_.end()) evict(found->second);
  while (!lru_.empty() && bytes_ + bytes > max_bytes_) evict(std::prev(lru_.end()));
  lru_.push_front(Entry{key, std::make_shared<const CachedPage>(std::move(page)), bytes});
  index_.emplace(key, lru_.begin());
  bytes_ += bytes;
}

PageCacheStats PageCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return PageCacheStats{bytes_, lru_.size(), hits_, misses_};
}

std::string PageCache::etagFor(const std::string& body) {
  std::array<unsigned char, 16> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(body.data()), body.size(), nullptr, 0);
  std::array<char, 33> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return "\"" + std::string(hex.data()) + "\"";
}

}  // namespace portal::http
