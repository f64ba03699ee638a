#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace portal::http {

// One rendered answer as the cache keeps it.
struct CachedPage {
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // the handler's own headers
  std::string etag;                                          // quoted, e.g. "\"3f2a...\""
  std::chrono::steady_clock::time_point stored_at;
};

struct PageCacheStats {
  std::size_t bytes = 0;    // keys, bodies and headers held now
  std::size_t entries = 0;  // pages held now
  unsigned long long hits = 0;
  unsigned long long misses = 0;
};

// The node's cache of rendered public pages and JSON, least recently used first out, bounded
// in bytes. Thread safe (one short mutex; never held while rendering).
//
// Validity is a `generation` the caller reads from what the pages are made of (the change-log
// position the node's index has applied, plus the calendar reloads). The cache keeps pages of
// one generation only: seeing another generation empties it. A page is stored with the
// generation read *before* it was rendered, and refused if the generation moved meanwhile, so
// a page rendered from data older than the current generation is never kept. Pages older
// than `max_age` are dropped too (the few parts of a page that follow the clock, such as
// "due in N days").
class PageCache {
 public:
  PageCache(std::size_t max_bytes, std::chrono::seconds max_age);

  // The page for `key` if it is of `generation` and young enough; counts a hit or a miss.
  std::shared_ptr<const CachedPage> find(const std::string& key, std::uint64_t generation);
  // Keeps `page` unless `generation` is no longer current or the page is larger than an
  // eighth of the budget.
  void store(const std::string& key, std::uint64_t generation, CachedPage page);
  PageCacheStats stats() const;

  // A strong validator for `body`: 128 bits of BLAKE2b, hex, quoted.
  static std::string etagFor(const std::string& body);

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const CachedPage> page;
    std::size_t bytes = 0;
  };
  void switchGeneration(std::uint64_t generation);  // mu_ held
  void evict(std::list<Entry>::iterator it);        // mu_ held

  const std::size_t max_bytes_;
  const std::chrono::seconds max_age_;
  mutable std::mutex mu_;
  std::uint64_t generation_ = 0;
  bool has_generation_ = false;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
  unsigned long long hits_ = 0;
  unsigned long long misses_ = 0;
};

}  // namespace portal::http
