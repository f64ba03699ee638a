#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "portal/http/page_cache.h"
#include "portal/http/request.h"
#include "portal/http/router.h"

namespace portal {
class Metrics;
}

namespace portal::http {

struct ServerOptions {
  std::string address = "127.0.0.1";        // loopback only; nginx is the public edge
  int port = 0;                             // 0: any free port, read it back with port()
  int io_threads = 2;                       // Pistache reactor threads
  int workers = 8;                          // threads running database/index handlers
  std::size_t queue_limit = 256;            // queued requests beyond which we answer 503
  std::size_t max_request_bytes = 1 << 20;  // headers + body; nginx enforces less
  // The body limit of POSTs to upload_paths (forms with files), when larger than the above.
  std::size_t max_upload_request_bytes = 52u << 20;
  std::vector<std::string> upload_paths;
  std::size_t max_target_bytes = 4096;      // request line path + query
  int header_timeout_s = 5;    // request line and headers in full, else 408
  int body_timeout_s = 20;     // the whole request, else 408
  int keepalive_timeout_s = 60;
  // Open client connections at most; lowered at start() to the process's open-file limit less
  // a reserve for the database, the index and logs. A new connection beyond it closes the one
  // that has waited longest without a request in progress (an idle keep-alive one first, then
  // the slowest unfinished request; never one whose answer is being made), so a flood of idle
  // or slow connections can neither run the process out of descriptors nor lock others out.
  std::size_t max_connections = 4096;
  bool log_requests = true;
  std::size_t page_cache_bytes = 32u << 20;  // the page cache's budget; 0 turns it off
  int page_cache_max_age_s = 30;             // a cached page is rendered again after this

  // REQUIRES: 0 <= port <= 65535; io_threads, workers, queue_limit, max_connections,
  // page_cache_max_age_s >= 1; max_request_bytes >= 4096 (Pistache's own default, below which
  // ordinary forms fail).
  // Returns "" when those hold, else one line per breach naming its configuration key.
  std::string validate() const;
};

// How the application turns failures into answers; the server itself knows no templates.
struct ServerHooks {
  // Builds the page or JSON body for an error status with a message safe to show.
  std::function<Response(const Request&, int status, const std::string& message)> error_page;
  // Maps an unexpected exception from a handler to 500 or 503 (it is logged by the server).
  std::function<int(const std::exception&)> status_for;
  // What cacheable pages are made of, as a number that changes whenever they may change (see
  // PageCache). Called on reactor threads: it must not block. Unset: nothing is cached.
  std::function<std::uint64_t()> cache_generation;
  // Called on the worker thread after a route that invalidates the cache (a staff POST) ran,
  // so that other nodes can be told. May block on the database; must not throw.
  std::function<void()> after_invalidating_write;
};

// The HTTP server (Pistache inside; no Pistache type in this header). It decodes and validates
// every request before a handler sees it, runs Worker routes on a bounded pool, adds security
// headers and a request id, logs one line per request and records metrics. Cacheable routes
// are answered from the page cache on the reactor thread when it holds the page (no worker,
// no database), with ETag / If-None-Match and Cache-Control; every other answer gets
// Cache-Control: no-store unless the handler set its own. Reactor threads are marked so that
// db::Pool::acquire() refuses to run on them.
// start() and stop() are for one thread; requests are served concurrently.
class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics, ServerHooks hooks);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start();      // binds and serves on background threads; throws on bind failure
  int port() const;  // the bound port
  void stop();       // stops accepting, lets queued handlers finish
  std::size_t queued() const;
  PageCacheStats pageCacheStats() const;

  struct Impl;  // public only so the Pistache adapter in server.cpp can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace portal::http
