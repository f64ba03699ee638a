#include "portal/http/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/version.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <sstream>

#include "db/pool.h"
#include "portal/http/url.h"
#include "portal/http/worker_pool.h"
#include "portal/metrics.h"

namespace portal::http {

namespace P = Pistache;

namespace {

const char* kSecurityHeaders[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
     "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"},
    {"Permissions-Policy", "geolocation=(), camera=(), microphone=()"},
};

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool saneRequestId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// Pistache writes only typed headers (Raw ones are dropped on the wire), so every header we
// set goes through this one typed header with a run-time name.
class NamedHeader : public P::Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& os) const override { os << value_; }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return std::hash<std::string>{}(name_); }
#endif

 private:
  std::string name_;
  std::string value_;
};

void addHeader(P::Http::ResponseWriter& w, const std::string& name, const std::string& value) {
  w.headers().add(std::make_shared<NamedHeader>(name, value));
}

bool hasHeader(const Response& r, const std::string& lower_name) {
  for (const auto& [name, value] : r.headers) {
    if (lower(name) == lower_name) return true;
  }
  return false;
}

// Browsers and any cache between may keep public pages but must ask again each time
// (If-None-Match, answered 304 while nothing changed), so an edit is seen at once.
constexpr const char* kPublicCacheControl = "public, no-cache";

// If-None-Match: "*" or a list of (possibly weak) validators.
bool etagMatches(const std::string& if_none_match, const std::string& etag) {
  if (if_none_match.empty()) return false;
  std::size_t pos = 0;
  while (pos < if_none_match.size()) {
    std::size_t comma = if_none_match.find(',', pos);
    if (comma == std::string::npos) comma = if_none_match.size();
    std::string tag = if_none_match.substr(pos, comma - pos);
    const auto first = tag.find_first_not_of(" \t");
    const auto last = tag.find_last_not_of(" \t");
    tag = first == std::string::npos ? "" : tag.substr(first, last - first + 1);
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
    if (tag == "*" || tag == etag) return true;
    pos = comma + 1;
  }
  return false;
}

// The cache key: the target as received, and the one cookie public pages depend on.
std::string cacheKey(const Request& req) {
  const bool large = req.cookie("text_size").value_or("") == "large";
  return req.raw_target + (large ? "\n#large" : "\n#normal");
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  ServerHooks hooks;
  std::unique_ptr<P::Http::Endpoint> endpoint;
  std::unique_ptr<WorkerPool> workers;
  std::unique_ptr<PageCache> cache;            // null when options.page_cache_bytes is 0
  std::atomic<std::uint64_t> local_writes{0};  // staff writes answered by this node
  std::atomic<unsigned long long> next_id{1};
  std::string id_prefix;

  Impl(ServerOptions o, const Router& r, Metrics& m, ServerHooks h)
      : options(std::move(o)), router(r), metrics(m), hooks(std::move(h)) {
    if (options.page_cache_bytes > 0) {
      cache = std::make_unique<PageCache>(options.page_cache_bytes,
                                          std::chrono::seconds(options.page_cache_max_age_s));
    }
    std::random_device rd;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06x", rd() & 0xFFFFFF);
    id_prefix = buf;
  }

  Response errorResponse(const Request& req, int status, const std::string& message) {
    if (hooks.error_page) {
      try {
        return hooks.error_page(req, status, message);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "[%s] error page failed: %s\n", req.request_id.c_str(), e.what());
      }
    }
    return Response::text(message, status);
  }

  // Runs the matched handler; every failure becomes an answer, never an exception.
  Response run(const Route& route, const Request& req) {
    try {
      return route.handler(req);
    } catch (const HttpError& e) {
      if (!e.location().empty()) return Response::redirect(e.location());
      return errorResponse(req, e.status(), e.message());
    } catch (const std::exception& e) {
      const int status = hooks.status_for ? hooks.status_for(e) : 500;
      std::fprintf(stderr, "[%s] %s %s failed (%d): %s\n", req.request_id.c_str(),
                   req.method.c_str(), req.raw_target.c_str(), status, e.what());
      return errorResponse(req, status,
                           status == 503 ? "服务暂时不可用，请稍后再试。"
                                         : "服务器内部错误，请稍后再试。我们已记录此问题。");
    }
  }

  // A cacheable route's answer: a 200 without Set-Cookie is kept (when the generation read
  // before rendering still holds) and gets its validators; a 304 replaces it when the client
  // already has it.
  Response finishCacheable(const Request& req, Response resp, const std::string& key,
                           std::uint64_t generation) {
    if (resp.status != 200 || hasHeader(resp, "set-cookie") || hasHeader(resp, "cache-control")) {
      return resp;
    }
    CachedPage page;
    page.content_type = resp.content_type;
    page.headers = resp.headers;
    page.etag = PageCache::etagFor(resp.body);
    page.body = std::move(resp.body);
    if (cache) cache->store(key, generation, page);
    return fromCache(req, page);
  }

  static Response fromCache(const Request& req, const CachedPage& page) {
    Response r;
    r.content_type = page.content_type;
    r.headers = page.headers;
    r.headers.emplace_back("ETag", page.etag);
    r.headers.emplace_back("Cache-Control", kPublicCacheControl);
    r.headers.emplace_back("Vary", "Cookie");
    if (etagMatches(req.header("if-none-match").value_or(""), page.etag)) {
      r.status = 304;
      return r;
    }
    r.body = page.body;
    return r;
  }

  void send(P::Http::ResponseWriter& writer, const Request& req, Response resp,
            const std::string& route_name, std::chrono::steady_clock::time_point started) {
    // Only what finishCacheable() vouched for may be kept by browsers and proxies.
    if (!hasHeader(resp, "cache-control")) resp.headers.emplace_back("Cache-Control", "no-store");
    for (const auto& h : kSecurityHeaders) addHeader(writer, h[0], h[1]);
    addHeader(writer, "X-Request-Id", req.request_id);
    for (const auto& [name, value] : resp.headers) addHeader(writer, name, value);
    if (req.method == "HEAD") resp.body.clear();
    const auto mime = P::Http::Mime::MediaType::fromString(resp.content_type);
    // Counted before sending, so a client that reads /metrics right after its answer sees it.
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.observeRequest(route_name, resp.status, secs);
    writer.send(static_cast<P::Http::Code>(resp.status), resp.body, mime);
    if (options.log_requests) {
      std::fprintf(stderr, "%s %s %s %s %d %.1fms\n", req.request_id.c_str(),
                   req.remote_addr.c_str(), req.method.c_str(), req.raw_target.c_str(), resp.status,
                   secs * 1000);
    }
  }

  // Builds our Request from Pistache's; an error status (400/414) when it is not acceptable.
  int convert(const P::Http::Request& in, Request& out) {
    out.method = P::Http::methodString(in.method());
    std::string raw_query;
    for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
      raw_query += (raw_query.empty() ? "" : "&") + it->first + "=" + it->second;
    }
    out.raw_target = in.resource() + (raw_query.empty() ? "" : "?" + raw_query);
    if (out.raw_target.size() > options.max_target_bytes) return 414;
    for (const auto& h : in.headers().list()) {
      std::ostringstream v;
      h->write(v);
      out.headers[lower(h->name())] = v.str();
    }
    for (const auto& [name, raw] : in.headers().rawList()) out.headers[lower(name)] = raw.value();
    for (const auto& c : in.cookies()) out.cookies[c.name] = c.value;
    out.remote_addr = in.address().host();
    if ((out.remote_addr == "127.0.0.1" || out.remote_addr == "::1") &&
        out.headers.count("x-real-ip")) {
      out.remote_addr = out.headers["x-real-ip"];
    }
    auto rid = out.headers.find("x-request-id");
    out.request_id = rid != out.headers.end() && saneRequestId(rid->second)
                         ? rid->second
                         : id_prefix + "-" + std::to_string(next_id++);
    auto path = percentDecode(in.resource(), false);
    if (!path || path->empty() || (*path)[0] != '/') return 400;
    out.path = std::move(*path);
    std::vector<std::pair<std::string, std::string>> query;
    for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
      auto k = percentDecode(it->first, true);
      auto v = percentDecode(it->second, true);
      if (!k || !v) return 400;
      query.emplace_back(std::move(*k), std::move(*v));
    }
    out.query = std::move(query);
    out.body = in.body();
    return 0;
  }

  void onRequest(const P::Http::Request& in, P::Http::ResponseWriter writer) {
    // This is a reactor thread: it serves every connection of its share, so it must never
    // wait for the database (Inline handlers included).
    if (!db::acquireForbiddenOnThisThread()) db::forbidAcquireOnThisThread();
    const auto started = std::chrono::steady_clock::now();
    Request req;
    const int bad = convert(in, req);
    if (bad == 414) {
      return send(writer, req, errorResponse(req, 414, "请求地址过长。"), "invalid", started);
    }
    if (bad) {
      return send(writer, req,
                  errorResponse(req, 400, "请求地址或参数的编码无效，请检查链接是否完整。"),
                  "invalid", started);
    }
    RouteMatch m = router.match(req.method, req.path);
    if (!m.route) {
      if (!m.allowed_methods.empty()) {
        Response r = errorResponse(req, 405, "不支持该请求方法。");
        std::string allow;
        for (const auto& a : m.allowed_methods) allow += (allow.empty() ? "" : ", ") + a;
        r.headers.emplace_back("Allow", allow);
        return send(writer, req, std::move(r), "method_not_allowed", started);
      }
      return send(writer, req, errorResponse(req, 404, "您访问的页面不存在。"), "not_found",
                  started);
    }
    req.params = std::move(m.params);
    const Route* route = m.route;
    if (route->execution == Execution::Inline) {
      return send(writer, req, run(*route, req), route->name, started);
    }
    const bool cacheable = route->cacheable && cache && hooks.cache_generation &&
                           (req.method == "GET" || req.method == "HEAD");
    std::string key;
    std::uint64_t generation = 0;
    if (cacheable) {
      key = cacheKey(req);
      // Mixed, not added: a change of either part changes the whole.
      generation = hooks.cache_generation() * 0x9E3779B97F4A7C15ULL ^ local_writes.load();
      if (auto page = cache->find(key, generation)) {
        return send(writer, req, fromCache(req, *page), route->name, started);
      }
    }
    auto shared_writer = std::make_shared<P::Http::ResponseWriter>(std::move(writer));
    auto shared_req = std::make_shared<Request>(std::move(req));
    const bool queued = workers->trySubmit([this, route, shared_writer, shared_req, started,
                                            cacheable, key = std::move(key), generation] {
      Response resp = run(*route, *shared_req);
      if (route->invalidates_cache) local_writes.fetch_add(1);
      if (cacheable) resp = finishCacheable(*shared_req, std::move(resp), key, generation);
      send(*shared_writer, *shared_req, std::move(resp), route->name, started);
    });
    if (!queued) {
      Response r = errorResponse(*shared_req, 503, "访问人数较多，请稍后再试。");
      r.headers.emplace_back("Retry-After", "2");
      send(*shared_writer, *shared_req, std::move(r), "overloaded", started);
    }
  }
};

namespace {
class PistacheHandler : public P::Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheHandler)
  explicit PistacheHandler(Server::Impl* impl) : impl_(impl) {}
  void onRequest(const P::Http::Request& req, P::Http::ResponseWriter writer) override {
    impl_->onRequest(req, std::move(writer));
  }
  void onTimeout(const P::Http::Request&, P::Http::ResponseWriter writer) override {
    writer.send(P::Http::Code::Request_Timeout, "请求超时。",
                P::Http::Mime::MediaType::fromString("text/plain; charset=utf-8"));
  }

 private:
  Server::Impl* impl_;
};
}  // namespace

Server::Server(ServerOptions options, const Router& router, Metrics& metrics, ServerHooks hooks)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, std::move(hooks))) {}

Server::~Server() { stop(); }

void Server::start() {
  const auto& o = impl_->options;
  impl_->workers = std::make_unique<WorkerPool>(o.workers, o.queue_limit);
  P::Address addr(o.address, P::Port(static_cast<uint16_t>(o.port)));
  impl_->endpoint = std::make_unique<P::Http::Endpoint>(addr);
  auto opts = P::Http::Endpoint::options()
                  .threads(o.io_threads)
                  .flags(P::Tcp::Options::ReuseAddr)
                  .maxRequestSize(o.max_request_bytes)
                  .maxResponseSize(64 << 20)
                  .headerTimeout(std::chrono::seconds(o.header_timeout_s))
                  .bodyTimeout(std::chrono::seconds(o.body_timeout_s))
                  .keepaliveTimeout(std::chrono::seconds(o.keepalive_timeout_s));
  impl_->endpoint->init(opts);
  impl_->endpoint->setHandler(P::Http::make_handler<PistacheHandler>(impl_.get()));
  impl_->endpoint->serveThreaded();
}

int Server::port() const {
  return impl_->endpoint ? static_cast<int>(static_cast<uint16_t>(impl_->endpoint->getPort())) : 0;
}

void Server::stop() {
  // Workers first: queued handlers finish and answer while the transport is still alive;
  // requests arriving meanwhile get 503 from trySubmit.
  if (impl_->workers) impl_->workers->stop();
  if (impl_->endpoint) {
    impl_->endpoint->shutdown();
    impl_->endpoint.reset();
  }
  impl_->workers.reset();
}

PageCacheStats Server::pageCacheStats() const {
  return impl_->cache ? impl_->cache->stats() : PageCacheStats{};
}

std::size_t Server::queued() const { return impl_->workers ? impl_->workers->queued() : 0; }

}  // namespace portal::http
