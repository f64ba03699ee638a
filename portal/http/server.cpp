#include "portal/http/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <pistache/version.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "base/utf8.h"
#include "db/pool.h"
#include "portal/http/connection_state.h"
#include "portal/http/framing.h"
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

bool saneRequestId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

using Clock = std::chrono::steady_clock;
// Longer than any process lives (a century), within Pistache's milliseconds.
constexpr std::chrono::hours kNeverByPistache{24 * 365 * 100};
// An answer's header lines, in the order they are sent.
using Headers = std::vector<std::pair<std::string, std::string>>;

bool hasHeader(const Response& r, const std::string& lower_name) {
  for (const auto& [name, value] : r.headers) {
    if (base::asciiLower(name) == lower_name) return true;
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

// The cache key: the target as received, and the cookies public pages depend on: large text
// and high contrast (适老化, portal/web/views.cpp).
std::string cacheKey(const Request& req) {
  const bool large = req.cookie("text_size").value_or("") == "large";
  const bool high_contrast = req.cookie("contrast").value_or("") == "high";
  return req.raw_target + (large ? "\n#large" : "\n#normal") +
         (high_contrast ? "#high-contrast" : "");
}

}  // namespace

// One client connection. We frame requests ourselves (portal/http/framing.h) and hand each
// complete one to a handler; Pistache's own request parser never sees the bytes, so its
// English answers, its exceptions on odd headers and its loss of pipelined requests are gone.
// One request per connection is in flight at a time: bytes that arrive meanwhile (pipelining)
// wait in `pending`, so answers go out in order.
struct Connection : ConnectionState {
  std::mutex m;
  std::string pending;         // received, not yet framed into a request
  bool processing = false;     // some thread is framing `pending`
  bool continue_sent = false;  // 100 Continue already sent for the current request
  bool head_complete = false;  // `pending` holds the start of a request whose head is complete
  std::weak_ptr<P::Tcp::Peer> peer;
  int fd = -1;
  std::string remote_addr;
};
using ConnectionPtr = std::shared_ptr<Connection>;
constexpr const char* kConnectionData = "portal.connection";

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
  std::mutex connections_m;
  std::unordered_map<Connection*, ConnectionPtr> connections;
  std::size_t evicted_pending = 0;  // of `connections`: evicted, their close not yet seen
  std::size_t max_connections = 0;  // options.max_connections within the open-file limit
  std::thread watchdog;
  std::mutex watchdog_m;
  std::condition_variable watchdog_cv;
  bool watchdog_stop = false;

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

  // An answer to OPTIONS: no body, the methods in Allow.
  static Response allowResponse(int status, const std::string& allow) {
    Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Allow", allow);
    return r;
  }

  // Runs the matched handler; every failure becomes an answer, never an exception.
  Response run(const Route& route, const Request& req) {
    try {
      return route.handler(req);
    } catch (const HttpError& e) {
      if (e.prepared()) return *e.prepared();
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

  FramingLimits limits() const {
    FramingLimits l;
    l.max_body_bytes = options.max_request_bytes;
    l.max_upload_body_bytes = options.max_upload_request_bytes;
    l.upload_paths = options.upload_paths;
    l.max_head_bytes = std::min<std::size_t>(64 * 1024, options.max_request_bytes);
    return l;
  }

  void send(const ConnectionPtr& conn, const Request& req, Response resp,
            const std::string& route_name, Clock::time_point started, bool keep_alive) {
    // Only what finishCacheable() vouched for may be kept by browsers and proxies.
    if (!hasHeader(resp, "cache-control")) resp.headers.emplace_back("Cache-Control", "no-store");
    Headers headers;
    for (const auto& h : kSecurityHeaders) headers.emplace_back(h[0], h[1]);
    if (!req.request_id.empty()) headers.emplace_back("X-Request-Id", req.request_id);
    for (auto& h : resp.headers) headers.push_back(std::move(h));
    headers.emplace_back("Connection", keep_alive ? "keep-alive" : "close");
    // Counted before sending, so a client that reads /metrics right after its answer sees it.
    const double secs = std::chrono::duration<double>(Clock::now() - started).count();
    metrics.observeRequest(route_name, resp.status, secs);
    if (options.log_requests) {
      std::fprintf(stderr, "%s %s %s %s %d %.1fms\n", req.request_id.c_str(),
                   req.remote_addr.c_str(), req.method.c_str(), req.raw_target.c_str(), resp.status,
                   secs * 1000);
    }
    std::string wire = onTheWire(req, resp, headers);
    {
      std::lock_guard<std::mutex> lk(conn->m);
      ++conn->writes_in_flight;  // until the transport has written it: never evicted meanwhile
    }
    // Handed to the connection's reactor thread as one buffer. Its promise is the transport's
    // own, resolved under the promise's lock, so attaching to it here while the reactor may
    // already be resolving it is safe; Pistache's ResponseWriter returns a chained promise
    // whose continuations its reactor runs without that lock, and attaching one from a worker
    // thread crashed the server under load (a segfault in CI, caught by AddressSanitizer in
    // Pistache's asyncWriteImpl on the reactor thread).
    if (auto peer = conn->peer.lock()) {
      try {
        const std::size_t size = wire.size();
        peer->send(P::RawBuffer(std::move(wire), size))
            .then([this, conn, keep_alive](ssize_t) { written(conn, keep_alive); },
                  [this, conn, keep_alive](std::exception_ptr) { written(conn, keep_alive); });
      } catch (const std::exception& e) {
        std::fprintf(stderr, "[%s] sending failed: %s\n", req.request_id.c_str(), e.what());
        written(conn, keep_alive);
      }
    } else {
      written(conn, keep_alive);  // the client has gone: nothing to send to
    }
    finished(conn, keep_alive);
  }

  // An answer as the bytes sent: status line, Content-Type, `headers`, Content-Length (except
  // on 1xx, 204 and 304, which have no body), then the body; HEAD gets the head a GET would
  // get, Content-Length included (RFC 9110 8.6), and no body.
  static std::string onTheWire(const Request& req, const Response& resp, const Headers& headers) {
    std::string out = "HTTP/1." + std::to_string(req.minor_version == 0 ? 0 : 1) + " " +
                      std::to_string(resp.status) + " " +
                      P::Http::codeString(static_cast<P::Http::Code>(resp.status)) + "\r\n";
    auto line = [&out](const std::string& name, const std::string& value) {
      out += name + ": " + value + "\r\n";
    };
    if (!resp.content_type.empty()) line("Content-Type", resp.content_type);
    for (const auto& [name, value] : headers) line(name, value);
    const bool bodiless = resp.status < 200 || resp.status == 204 || resp.status == 304;
    if (!bodiless) line("Content-Length", std::to_string(resp.body.size()));
    out += "\r\n";
    if (!bodiless && req.method != "HEAD") out += resp.body;
    return out;
  }

  // The transport has written an answer (or given up on it). After one with Connection: close
  // no more answers come: the write side is shut so the client sees the end, and the socket is
  // closed when the client closes or 2 s pass.
  void written(const ConnectionPtr& conn, bool keep_alive) {
    std::lock_guard<std::mutex> lk(conn->m);
    if (conn->writes_in_flight > 0) --conn->writes_in_flight;
    if (keep_alive) return;
    conn->closing = true;
    conn->linger_armed = true;
    conn->close_deadline = Clock::now() + std::chrono::seconds(2);
    if (!conn->disconnected) ::shutdown(conn->fd, SHUT_WR);
  }

  // Builds our Request from a framed one; an error status (400/414) when it is not acceptable.
  int convert(const FramedRequest& in, const Connection& conn, Request& out) {
    out.method = in.method;
    out.raw_target = in.target;
    out.minor_version = in.minor_version;
    for (const auto& [name, value] : in.headers) {
      auto [it, fresh] = out.headers.emplace(name, value);
      if (!fresh) it->second += (name == "cookie" ? "; " : ", ") + value;
    }
    out.remote_addr = conn.remote_addr;
    out.peer_addr = out.remote_addr;
    if ((out.remote_addr == "127.0.0.1" || out.remote_addr == "::1") &&
        out.headers.count("x-real-ip")) {
      out.remote_addr = out.headers["x-real-ip"];
    }
    auto rid = out.headers.find("x-request-id");
    out.request_id = rid != out.headers.end() && saneRequestId(rid->second)
                         ? rid->second
                         : id_prefix + "-" + std::to_string(next_id++);
    // A best-effort path first, so even a refusal is answered in the format of its area
    // (JSON under /api, Open311's list under /open311).
    const std::size_t q = in.target.find('?');
    const std::string raw_path = in.target.substr(0, q);
    out.path = raw_path;
    if (out.raw_target.size() > options.max_target_bytes) return 414;
    if (auto c = out.headers.find("cookie"); c != out.headers.end()) {
      for (auto& [name, value] : parseCookieHeader(c->second)) out.cookies.emplace(name, value);
    }
    // "OPTIONS *" (the framing admits "*" for OPTIONS only) asks about the server itself.
    if (in.target == "*") return 0;
    auto path = percentDecode(raw_path, false);
    if (!path || path->empty() || (*path)[0] != '/') return 400;
    out.path = std::move(*path);
    if (q != std::string::npos) {
      auto query = parseQueryString(std::string_view(in.target).substr(q + 1));
      if (!query) return 400;
      out.query = std::move(*query);
    }
    out.body = in.body;
    return 0;
  }

  // Answers a request that never reached a handler (bad framing, timeout) and closes.
  void refuse(const ConnectionPtr& conn, const FramedRequest& framed, int status,
              const std::string& message, const std::string& route_name) {
    const auto started = Clock::now();
    Request req;
    convert(framed, *conn, req);
    if (req.method.empty()) req.method = "GET";
    if (req.path.empty() || req.path[0] != '/') req.path = "/";
    if (conn->peer.expired()) return finished(conn, false);
    send(conn, req, errorResponse(req, status, message), route_name, started, false);
  }

  void dispatch(const ConnectionPtr& conn, FramedRequest framed) {
    const auto started = Clock::now();
    const bool keep_alive = framed.keep_alive;
    if (conn->peer.expired()) return finished(conn, false);  // the client has gone
    Request req;
    const int bad = convert(framed, *conn, req);
    if (bad == 414) {
      return send(conn, req, errorResponse(req, 414, "请求地址过长。"), "invalid", started,
                  keep_alive);
    }
    if (bad) {
      return send(conn, req,
                  errorResponse(req, 400, "请求地址或参数的编码无效，请检查链接是否完整。"),
                  "invalid", started, keep_alive);
    }
    if (req.path == "*") {
      return send(conn, req, allowResponse(204, "GET, HEAD, POST, OPTIONS"), "options",
                  started, keep_alive);
    }
    RouteMatch m = router.match(req.method, req.path);
    if (!m.route) {
      std::string allow;
      for (const auto& a : m.allowed_methods) {
        allow += (allow.empty() ? "" : ", ") + a;
        if (a == "GET") allow += ", HEAD";
      }
      // OPTIONS on a page that has no OPTIONS route of its own: which methods it takes
      // (RFC 9110, 9.3.7), instead of a refusal.
      if (req.method == "OPTIONS" && !allow.empty()) {
        return send(conn, req, allowResponse(204, allow + ", OPTIONS"), "options",
                    started, keep_alive);
      }
      if (!allow.empty() || !isKnownMethod(req.method)) {
        Response r = errorResponse(req, 405, "不支持该请求方法。");
        r.headers.emplace_back("Allow", allow.empty() ? "GET, HEAD, POST" : allow);
        return send(conn, req, std::move(r), "method_not_allowed", started, keep_alive);
      }
      return send(conn, req, errorResponse(req, 404, "您访问的页面不存在。"), "not_found",
                  started, keep_alive);
    }
    req.params = std::move(m.params);
    const Route* route = m.route;
    if (route->execution == Execution::Inline) {
      return send(conn, req, run(*route, req), route->name, started, keep_alive);
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
        return send(conn, req, fromCache(req, *page), route->name, started, keep_alive);
      }
    }
    auto shared_req = std::make_shared<Request>(std::move(req));
    const bool queued = workers->trySubmit([this, conn, route, shared_req, started,
                                            keep_alive, cacheable, key = std::move(key),
                                            generation] {
      Response resp = run(*route, *shared_req);
      if (route->invalidates_cache) {
        local_writes.fetch_add(1);
        if (hooks.after_invalidating_write) hooks.after_invalidating_write();
      }
      if (cacheable) resp = finishCacheable(*shared_req, std::move(resp), key, generation);
      send(conn, *shared_req, std::move(resp), route->name, started, keep_alive);
    });
    if (!queued) {
      Response r = errorResponse(*shared_req, 503, "访问人数较多，请稍后再试。");
      // A full queue drains in moments: sooner than the error page's general advice.
      std::vector<std::pair<std::string, std::string>> headers;
      for (auto& h : r.headers) {
        if (h.first != "Retry-After") headers.push_back(std::move(h));
      }
      headers.emplace_back("Retry-After", "2");
      r.headers = std::move(headers);
      send(conn, *shared_req, std::move(r), "overloaded", started, keep_alive);
    }
  }

  // Frames and dispatches requests from `pending` while none is in flight. Called with the
  // connection's lock held; releases it while a request is dispatched.
  void process(const ConnectionPtr& conn, std::unique_lock<std::mutex>& lk) {
    if (conn->processing) return;
    conn->processing = true;
    const FramingLimits l = limits();
    while (!conn->busy && !conn->closing && !conn->disconnected && !conn->pending.empty()) {
      if (conn->pending.find_first_not_of("\r\n") == std::string::npos) {
        // Empty lines before a request are allowed, but they start the header clock.
        conn->pending.clear();
        if (!conn->partial) {
          conn->partial = true;
          conn->partial_since = Clock::now();
        }
        break;
      }
      FrameResult fr = frameRequest(conn->pending, l);
      if (fr.kind == FrameResult::Kind::NeedMore) {
        if (!conn->partial) {
          conn->partial = true;
          conn->partial_since = Clock::now();
        }
        conn->head_complete = fr.head_complete;
        if (fr.expects_continue && !conn->continue_sent) {
          conn->continue_sent = true;
          if (auto peer = conn->peer.lock()) {
            std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";  // HTTP/1.1 only (framing)
            const std::size_t size = interim.size();
            peer->send(P::RawBuffer(std::move(interim), size));
          }
        }
        break;
      }
      conn->busy = true;
      conn->partial = false;
      conn->head_complete = false;
      conn->continue_sent = false;
      if (fr.kind == FrameResult::Kind::Error) {
        conn->pending.clear();
        conn->closing = true;
        lk.unlock();
        refuse(conn, fr.request, fr.status, fr.message, "invalid");
        lk.lock();
        break;
      }
      conn->pending.erase(0, fr.consumed);
      lk.unlock();
      dispatch(conn, std::move(fr.request));
      lk.lock();
    }
    conn->processing = false;
  }

  // An answer is on its way: the next pipelined request may go.
  void finished(const ConnectionPtr& conn, bool keep_alive) {
    std::unique_lock<std::mutex> lk(conn->m);
    conn->busy = false;
    conn->last_activity = Clock::now();
    if (!keep_alive) {
      conn->closing = true;
      return;
    }
    process(conn, lk);
  }

  void onConnection(const ConnectionPtr& conn) {
    std::lock_guard<std::mutex> lk(connections_m);
    connections[conn.get()] = conn;
    while (connections.size() - evicted_pending > max_connections) {
      if (!evictOne(conn)) {
        evict(*conn);  // every other connection is being answered: the newcomer goes
        break;
      }
    }
  }

  // Closes the connection that has waited longest without a request being answered, in the
  // order of evictionRank. False when there is none (all being answered). Holds connections_m.
  bool evictOne(const ConnectionPtr& newcomer) {
    // The choice is made one connection lock at a time; by the time the victim's lock is held
    // again it may have received a request: then choose again (a few times at most).
    for (int attempt = 0; attempt < 3; ++attempt) {
      Connection* victim = nullptr;
      EvictionRank victim_rank;
      for (const auto& [raw, c] : connections) {
        if (c == newcomer) continue;
        std::lock_guard<std::mutex> ck(c->m);
        const std::optional<EvictionRank> rank = evictionRank(*c);
        if (rank && (!victim || *rank < victim_rank)) {
          victim = raw;
          victim_rank = *rank;
        }
      }
      if (!victim) return false;
      std::lock_guard<std::mutex> ck(victim->m);
      if (!evictionRank(*victim)) continue;
      evict(*victim);
      return true;
    }
    return false;
  }

  // Holds connections_m (and c.m, unless c is not yet seen by any other thread).
  void evict(Connection& c) {
    c.evicted = true;
    c.closing = true;
    c.pending.clear();
    ++evicted_pending;
    ::shutdown(c.fd, SHUT_RDWR);
  }

  void onInput(const ConnectionPtr& conn, const char* data, std::size_t len) {
    // This is a reactor thread: it serves every connection of its share, so it must never
    // wait for the database (Inline handlers included). Not in dispatch(): a worker that
    // finished an answer dispatches the next pipelined request itself.
    if (!db::acquireForbiddenOnThisThread()) db::forbidAcquireOnThisThread();
    std::unique_lock<std::mutex> lk(conn->m);
    conn->last_activity = Clock::now();
    if (conn->closing || conn->disconnected) return;  // lingering: read and drop
    if (conn->pending.size() + len > limits().max_head_bytes +
                                          std::max(options.max_request_bytes,
                                                   options.max_upload_request_bytes) +
                                          4096) {
      // Far more pipelined bytes than one request may hold while an answer is pending.
      conn->closing = true;
      conn->pending.clear();
      ::shutdown(conn->fd, SHUT_RDWR);
      return;
    }
    conn->pending.append(data, len);
    process(conn, lk);
  }

  void onDisconnection(const ConnectionPtr& conn) {
    {
      std::lock_guard<std::mutex> lk(conn->m);
      conn->disconnected = true;
    }
    std::lock_guard<std::mutex> lk(connections_m);
    if (connections.erase(conn.get()) && conn->evicted) --evicted_pending;
  }

  // Every 200 ms: a request that has not arrived in full in time gets 408 and the connection
  // closes; an idle keep-alive connection closes after keepalive_timeout_s; a lingering close
  // ends after its deadline.
  void watch() {
    std::unique_lock<std::mutex> wl(watchdog_m);
    while (
        !watchdog_cv.wait_for(wl, std::chrono::milliseconds(200), [&] { return watchdog_stop; })) {
      std::vector<ConnectionPtr> all;
      {
        std::lock_guard<std::mutex> lk(connections_m);
        for (const auto& [_, c] : connections) all.push_back(c);
      }
      const auto now = Clock::now();
      for (const auto& conn : all) {
        std::unique_lock<std::mutex> lk(conn->m);
        if (conn->disconnected) continue;
        if (conn->closing) {
          if ((conn->linger_armed && now > conn->close_deadline) ||
              (!conn->busy && now - conn->last_activity > std::chrono::seconds(10))) {
            ::shutdown(conn->fd, SHUT_RDWR);
          }
          continue;
        }
        if (conn->busy) continue;
        if (conn->partial) {
          const auto limit = std::chrono::seconds(conn->head_complete ? options.body_timeout_s
                                                                      : options.header_timeout_s);
          if (now - conn->partial_since > limit) {
            FramedRequest framed = frameRequest(conn->pending, limits()).request;
            conn->busy = true;
            conn->closing = true;
            conn->partial = false;
            conn->pending.clear();
            lk.unlock();
            refuse(conn, framed, 408, "请求超时：在规定时间内没有收到完整的请求。", "timeout");
          }
          continue;
        }
        if (now - conn->last_activity > std::chrono::seconds(options.keepalive_timeout_s)) {
          conn->closing = true;
          ::shutdown(conn->fd, SHUT_RDWR);
        }
      }
    }
  }
};

namespace {
// Pistache is our TCP reactor: it hands us the bytes it reads, which go to our framing
// (Server::Impl::onInput), never to Pistache's request parser.
class PistacheHandler : public P::Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheHandler)
  explicit PistacheHandler(Server::Impl* impl) : impl_(impl) {}
  void onRequest(const P::Http::Request&, P::Http::ResponseWriter) override {}

  void onConnection(const std::shared_ptr<P::Tcp::Peer>& peer) override {
    // What P::Http::Handler::onConnection does: Pistache's idle check reads this parser.
    peer->putData(ParserData, std::make_shared<P::Http::RequestParser>(std::size_t{4096}));
    auto conn = std::make_shared<Connection>();
    conn->peer = peer;
    conn->fd = peer->fd();
    conn->remote_addr = peer->address().host();
    conn->last_activity = Clock::now();
    peer->putData(kConnectionData, conn);
    impl_->onConnection(conn);
  }

  void onInput(const char* buffer, size_t len, const std::shared_ptr<P::Tcp::Peer>& peer) override {
    if (auto conn = std::static_pointer_cast<Connection>(peer->tryGetData(kConnectionData))) {
      impl_->onInput(conn, buffer, len);
    }
  }

  void onDisconnection(const std::shared_ptr<P::Tcp::Peer>& peer) override {
    if (auto conn = std::static_pointer_cast<Connection>(peer->tryGetData(kConnectionData))) {
      impl_->onDisconnection(conn);
    }
  }

 private:
  Server::Impl* impl_;
};
}  // namespace

std::string ServerOptions::validate() const {
  std::string errors;
  if (port < 0 || port > 65535) errors += "server.port out of range\n";
  if (io_threads < 1) errors += "server.io_threads must be at least 1\n";
  if (workers < 1) errors += "server.workers must be at least 1\n";
  if (page_cache_max_age_s < 1) errors += "server.page_cache_max_age_s below 1\n";
  if (queue_limit < 1) errors += "server.queue_limit must be at least 1\n";
  if (max_request_bytes < 4096) errors += "server.max_request_bytes below 4096\n";
  if (max_connections < 1) errors += "server.max_connections must be at least 1\n";
  return errors;
}

Server::Server(ServerOptions options, const Router& router, Metrics& metrics, ServerHooks hooks)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, std::move(hooks))) {}

Server::~Server() { stop(); }

void Server::start() {
  const auto& o = impl_->options;
  impl_->workers = std::make_unique<WorkerPool>(o.workers, o.queue_limit);
  // Past the open-file limit accept() fails and Pistache's listener retries at once, burning a
  // core while no one gets in until a connection closes: stay below it, with a reserve for the
  // database pool, the index, the logs and the reactor's own descriptors.
  impl_->max_connections = o.max_connections;
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
    constexpr rlim_t kReserve = 256;
    const rlim_t usable =
        files.rlim_cur > 2 * kReserve ? files.rlim_cur - kReserve : files.rlim_cur / 2;
    impl_->max_connections =
        std::max<std::size_t>(1, std::min<std::size_t>(o.max_connections, usable));
  }
  P::Address addr(o.address, P::Port(static_cast<uint16_t>(o.port)));
  impl_->endpoint = std::make_unique<P::Http::Endpoint>(addr);
  auto opts = P::Http::Endpoint::options()
                  .threads(o.io_threads)
                  .flags(P::Tcp::Options::ReuseAddr)
                  .maxRequestSize(std::max(o.max_request_bytes, o.max_upload_request_bytes))
                  .maxResponseSize(64 << 20)
                  // Our watchdog (Impl::watch) answers slow requests and closes idle
                  // connections; Pistache's own checks (an English 408) never come first.
                  // They time from the connection's start (its parser is never fed), so a
                  // day would end a busy keep-alive connection, nginx's, after a day.
                  .headerTimeout(kNeverByPistache)
                  .bodyTimeout(kNeverByPistache)
                  .keepaliveTimeout(kNeverByPistache);
  impl_->endpoint->init(opts);
  impl_->endpoint->setHandler(P::Http::make_handler<PistacheHandler>(impl_.get()));
  impl_->endpoint->serveThreaded();
  impl_->watchdog_stop = false;
  impl_->watchdog = std::thread([this] { impl_->watch(); });
}

int Server::port() const {
  return impl_->endpoint ? static_cast<int>(static_cast<uint16_t>(impl_->endpoint->getPort())) : 0;
}

void Server::stop() {
  // Workers first: queued handlers finish and answer while the transport is still alive;
  // requests arriving meanwhile get 503 from trySubmit.
  if (impl_->workers) impl_->workers->stop();
  if (impl_->watchdog.joinable()) {
    {
      std::lock_guard<std::mutex> lk(impl_->watchdog_m);
      impl_->watchdog_stop = true;
    }
    impl_->watchdog_cv.notify_all();
    impl_->watchdog.join();
  }
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
